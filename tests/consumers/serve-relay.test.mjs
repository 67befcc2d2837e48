// `npx tiktok-ads-auth serve` from the packed tarball, its relay pointed at the stand-in answering
// without CORS headers, as TikTok's API does for browsers: authorize, one click, and the token,
// the advertiser names and the permission names, with no terminal fallback; the stand-in saw one
// exchange, sent by Node, not by the browser. With --no-relay, the fallback names the ways around.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startStandin } from '../standin/server.mjs';
import { APP_ID, SECRET, installConsumer, launchChromium, packPackage, startServing } from './pack.mjs';

const SCENARIO = 'relay';
let pack, dir, bin, standin, browser, site, plain;

before(async () => {
  pack = packPackage();
  dir = installConsumer('consumers/npx-user', pack);
  bin = join(dir, 'node_modules/.bin/tiktok-ads-auth');
  standin = await startStandin({ port: 0 });
  const env = { TIKTOK_ADS_AUTH_RELAY_UPSTREAM: `${standin.url}/s/${SCENARIO}/nocors/open_api/v1.3/` };
  site = await startServing(bin, ['serve', '--port', '0'], { cwd: dir, env });
  plain = await startServing(bin, ['serve', '--port', '0', '--no-relay'], { cwd: dir, env });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await site?.stop();
  await plain?.stop();
  await standin?.close();
  pack?.cleanup();
});

/**
 * A context where TikTok's consent screen approves at once (a redirect back to `pageUrl` with a
 * code the stand-in issued) and every other request off this computer is refused and recorded.
 */
async function tiktokApproves(pageUrl) {
  const context = await browser.newContext();
  context.setDefaultTimeout(15_000);
  const outside = [];
  const seen = { code: null };
  await context.route((url) => !['localhost', '127.0.0.1'].includes(url.hostname), async (route) => {
    const url = new URL(route.request().url());
    if (url.hostname === 'business-api.tiktok.com' && url.pathname.endsWith('/portal/auth')) {
      seen.code = standin.issueCode({ appId: APP_ID, scenario: SCENARIO });
      const back = new URL(pageUrl);
      back.search = new URLSearchParams({ auth_code: seen.code, code: seen.code, state: url.searchParams.get('state') }).toString();
      return route.fulfill({ status: 302, headers: { Location: back.href } });
    }
    outside.push(url.href);
    return route.abort();
  });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return { context, page, outside, seen, errors };
}

test('serve\'s relay: authorize, one click, token, advertiser names and permission names', async () => {
  standin.reset(SCENARIO);
  const { context, page, outside, seen, errors } = await tiktokApproves(site.url);
  try {
    await page.goto(site.url);
    await page.locator('#view-start:not([hidden])').waitFor();
    assert.equal(await page.inputValue('#environment'), 'Calls go through this computer to TikTok');
    assert.match(await page.textContent('#environment-help'), new RegExp(`http://localhost:${site.port}/open_api/v1\\.3`));
    await page.fill('#app-id', APP_ID);
    await page.click('text=Authorize with TikTok');
    await page.locator('#view-callback:not([aria-busy]) h1').waitFor();
    assert.match(await page.textContent('#state-verdict'), /State verified/);
    await page.fill('#secret', SECRET);
    await page.click('#exchange');
    await page.locator('#view-result h1').waitFor();
    await page.locator('#status', { hasText: 'Access token received for 2 advertiser accounts.' }).waitFor();
    await page.click('#reveal');
    const token = await page.textContent('#token');
    assert.match(token, /^[0-9a-f]{40}$/);
    await page.waitForFunction(() => [...document.querySelectorAll('#advertisers .name')].every((n) => n.textContent.trim()));
    const names = await page.locator('#advertisers .name').allTextContents();
    assert.equal(names.length, 2);
    await page.locator('#permissions-section:not([hidden])').waitFor();
    const permissions = await page.locator('#permissions li').allTextContents();
    assert.ok(permissions.length > 0 && permissions.every((p) => !/not in this page/.test(p)), permissions.join(' | '));
    assert.equal(await page.isVisible('#fallback'), false, 'no terminal fallback');
    assert.equal(await page.isVisible('#names-fallback'), false);
    assert.deepEqual(errors, []);
    assert.deepEqual(outside, [], 'the page called nothing off this computer');

    const records = standin.records(SCENARIO);
    const exchanges = records.filter((r) => r.path.endsWith('/oauth2/access_token/'));
    assert.equal(exchanges.length, 1, 'exactly one exchange reached TikTok');
    assert.equal(exchanges[0].method, 'POST');
    assert.deepEqual(JSON.parse(exchanges[0].body), { app_id: APP_ID, secret: SECRET, auth_code: seen.code });
    assert.equal(records.filter((r) => r.method === 'OPTIONS').length, 0, 'no preflight: not a browser');
    for (const r of records) {
      // Sent by Node's fetch: no Origin, Referer, cookie or browser user agent.
      for (const h of ['origin', 'referer', 'cookie', 'sec-fetch-site', 'sec-ch-ua']) assert.equal(r.headers[h], undefined, h);
      assert.equal(r.headers['user-agent'], 'node');
    }
    const logged = site.output();
    assert.match(logged, /relay access_token 200 code=0\n/);
    assert.match(logged, /relay advertiser_get 200 code=0\n/);
    for (const s of [SECRET, token, seen.code]) assert.ok(!logged.includes(s), 'a secret in the log');
  } finally {
    await context.close();
  }
});

test('with --no-relay, a page that cannot reach TikTok names the ways around it', async () => {
  assert.match(plain.output(), /It talks to TikTok itself/);
  const { context, page, outside } = await tiktokApproves(plain.url);
  try {
    await page.goto(plain.url);
    await page.locator('#view-start:not([hidden])').waitFor();
    assert.equal(await page.inputValue('#environment'), 'production');
    await page.fill('#app-id', APP_ID);
    await page.click('text=Authorize with TikTok');
    await page.locator('#view-callback:not([aria-busy]) h1').waitFor();
    await page.fill('#secret', SECRET);
    await page.click('#exchange');
    await page.locator('#fallback:not([hidden])').waitFor();
    const ways = await page.textContent('#fallback-ways');
    assert.match(ways, /npx tiktok-ads-auth serve/);
    assert.match(ways, /Cloudflare Worker relay/);
    assert.match(await page.textContent('#fallback'), /macOS or Linux shell \(on Windows: WSL or Git Bash\)/);
    assert.ok(outside.some((u) => u.startsWith('https://business-api.tiktok.com/open_api/v1.3/oauth2/access_token/')),
      'the page called TikTok itself');
  } finally {
    await context.close();
  }
});

test('a test upstream other than https or loopback http is refused at start', async () => {
  for (const upstream of ['http://example.com/open_api/v1.3/', 'ftp://127.0.0.1/', 'not a url']) {
    await assert.rejects(promisify(execFile)(bin, ['serve', '--port', '0'], {
      cwd: dir, timeout: 20_000, env: { ...process.env, TIKTOK_ADS_AUTH_RELAY_UPSTREAM: upstream },
    }), (e) => e.code === 2 && /^tiktok-ads-auth: TIKTOK_ADS_AUTH_RELAY_UPSTREAM: the relay upstream must/.test(e.stderr) && e.stdout === '', upstream);
  }
});
