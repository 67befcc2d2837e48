// The whole flow in a real browser: start view → stand-in portal → callback → token.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  APP_ID, SECRET, approve, arrive, assertLocalOnly, authorize, authorizeAndExchange, browser, calls, exchange,
  open, openStart, reveal, site, startOver, startSite, useApiBase, useSite, waitForStatus,
} from './helpers.mjs';

useSite();

/** Everything the page left behind that a later visitor of this browser could read. */
async function leftovers(context, page) {
  const cdp = await context.newCDPSession(page);
  const { entries } = await cdp.send('Page.getNavigationHistory');
  const storage = await page.evaluate(() => ({
    local: JSON.stringify({ ...localStorage }),
    session: JSON.stringify({ ...sessionStorage }),
    historyLength: history.length,
    historyState: JSON.stringify(history.state),
    html: document.documentElement.outerHTML,
  }));
  return { ...storage, address: page.url(), entries: entries.map((e) => e.url) };
}

test('happy path from the start view: authorize, approve, exchange, token, names, download', async () => {
  site.standin.reset('default');
  const { context, page, requests, errors, console } = await open(browser);
  await assert.doesNotReject(openStart(page, site.page));
  assert.equal(await page.evaluate(() => document.activeElement.id), 'start-heading');
  assert.equal(await page.inputValue('#redirect-uri'), site.page.slice(0, -1), 'at the root, without the trailing slash');
  await page.fill('#app-id', APP_ID);
  assert.match(await page.textContent('#auth-url'), /\/portal\/auth\?app_id=7000000000000000001&state=/);
  await authorize(page, site);

  await approve(page);
  assert.equal(page.url(), site.page, 'the OAuth parameters are stripped from the address bar');
  assert.match(await page.textContent('#state-verdict'), /State verified/);
  assert.match(await page.textContent('#view-callback .countdown'), /^(60 min 00|59 min \d\d) s$/);
  const code = await page.textContent('#auth-code');
  assert.match(code, /^[0-9a-f]{40}$/);

  await exchange(page);
  await page.locator('#view-result h1').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'result-heading');
  await waitForStatus(page, 'Access token received for 2 advertiser accounts.');

  const [call] = calls(site, 'default', 'access_token');
  assert.deepEqual(JSON.parse(call.body), { app_id: APP_ID, secret: SECRET, auth_code: code });
  assert.equal(calls(site, 'default', 'access_token').length, 1);

  // Masked by default: the token is nowhere in the document until revealed.
  const masked = await leftovers(context, page);
  assert.match(await page.textContent('#token'), /^•+hidden$/);
  const token = await reveal(page);
  assert.match(token, /^[0-9a-f]{40}$/);
  assert.ok(!masked.html.includes(token), 'token in the DOM while masked');
  assert.equal(await page.getAttribute('#reveal', 'aria-pressed'), 'true');
  await page.click('#copy-token');
  await waitForStatus(page, 'Access token copied');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), token);
  await page.click('#reveal');
  assert.match(await page.textContent('#token'), /^•+hidden$/);

  // Advertiser ids with names from getAdvertisers, each with its own copy button.
  await page.locator('#advertisers .name', { hasText: 'Demo Shop EU' }).waitFor();
  assert.deepEqual(await page.locator('#advertisers li').allTextContents(),
    ['Demo Shop EU7000000000000000001Copy', 'Demo Shop US7000000000000000002Copy']);
  await page.click('button[aria-label="Copy advertiser ID 7000000000000000002"]');
  await waitForStatus(page, 'Advertiser ID 7000000000000000002 copied');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), '7000000000000000002');
  assert.match(await page.textContent('#request-id'), /^\d{14}[0-9A-F]{18}$/);

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  assert.equal(download.suggestedFilename(), 'tiktok-access-token.json');
  assert.match(download.url(), /^blob:/);
  const saved = JSON.parse(await readFile(await download.path(), 'utf8'));
  assert.equal(saved.access_token, token);
  assert.deepEqual(saved.advertiser_ids, ['7000000000000000001', '7000000000000000002']);
  assert.deepEqual(saved.advertisers.map((a) => a.advertiser_name), ['Demo Shop EU', 'Demo Shop US']);
  assert.equal(saved.request_id, await page.textContent('#request-id'));

  // Nothing secret survives in the address bar, history, storage or the markup.
  const left = await leftovers(context, page);
  assert.equal(left.historyLength, 4, `about:blank, start page, portal, callback: ${left.entries}`);
  assert.equal(left.entries.length, 4);
  for (const secret of [code, SECRET, token]) {
    for (const [where, text] of Object.entries({ ...left, entries: left.entries.join(' '), html: masked.html })) {
      assert.ok(!String(text).includes(secret), `${secret.slice(0, 6)}… found in ${where}`);
    }
    assert.ok(!console.some((line) => line.includes(secret)), 'secret in the console');
  }
  assert.ok(!requests.some((url) => url.includes(token)), 'token in a request URL');
  assertLocalOnly(requests);
  assert.deepEqual(errors, []);

  // The policy is set before any other script runs and before anything leaves the page's origin
  // (the built page carries early.js, which only watches the parser and starts fetching the wasm,
  // and the policy script inline), and nothing on the page broke it.
  const head = await page.evaluate(() => [...document.head.children].slice(0, 5)
    .map((e) => (e.tagName === 'SCRIPT' && !e.src ? 'SCRIPT ' + e.textContent.slice(0, 80) : e.outerHTML)));
  assert.equal(head[0], '<meta name="referrer" content="no-referrer">');
  assert.match(head[2], /^SCRIPT \(function\(\)\{.*URLSearchParams\(location\.search\)/);
  assert.equal(head[3], '<script src="config.js"></script>');
  assert.match(head[4], /^SCRIPT \(function\(\)\{.*tiktokAdsAuthConfig/);
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert.match(csp, /^default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'sha256-[A-Za-z0-9+\/]{43}=';/);
  // The inline stylesheet is admitted by its hash: it applies, and nothing was refused.
  assert.equal(await page.evaluate(() => document.querySelectorAll('head style').length), 1);
  assert.notEqual(await page.evaluate(() => getComputedStyle(document.querySelector('main')).maxWidth), 'none');
  assert.match(csp, new RegExp(`connect-src 'self' https://business-api\\.tiktok\\.com https://sandbox-ads\\.tiktok\\.com ${site.url};`));
  assert.match(csp, /object-src 'none'; base-uri 'none'; form-action 'none'; frame-src 'none'$/);
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
  // Requests the page made (the portal's own form submission is the portal's business).
  const fromPage = site.standin.records('default').filter((r) => !r.path.endsWith('/decide'));
  assert.ok(fromPage.length >= 3);
  for (const record of fromPage) {
    assert.equal(record.headers.referer, undefined, `Referer sent to ${record.path}`);
  }
  await context.close();
});

test('keyboard only: Tab and Enter complete the flow, focus lands on each view heading', async () => {
  const { context, page } = await open(browser);
  await openStart(page, site.page);
  const tabTo = async (selector) => {
    for (let i = 0; i < 20; i++) {
      if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) return;
      await page.keyboard.press('Tab');
    }
    assert.fail(`Tab never reached ${selector}`);
  };
  await tabTo('#app-id');
  await page.keyboard.press('Control+A');
  await page.keyboard.type(APP_ID);
  await tabTo('button[type=submit]');
  await page.keyboard.press('Enter');
  await page.locator('#approve').waitFor();
  await tabTo('#approve');
  await page.keyboard.press('Enter');
  await page.locator('#view-callback:not([aria-busy]) h1').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'callback-heading');
  await tabTo('#secret');
  await page.keyboard.type(SECRET);
  await page.keyboard.press('Enter');
  await page.locator('#view-result h1').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'result-heading');
  await tabTo('#reveal');
  await page.keyboard.press('Enter');
  assert.match(await page.textContent('#token'), /^[0-9a-f]{40}$/);
  await context.close();
});

test('a double click (and Enter) while the exchange is in flight sends exactly one request', async () => {
  const { context, page } = await open(browser);
  await arrive(page, site, { scenario: 'double' });
  await useApiBase(page, site.apiBase('double', 'slow-500'));
  await page.fill('#secret', SECRET);
  await page.dblclick('#exchange');
  assert.equal(await page.textContent('#exchange'), 'Exchanging…');
  await page.locator('#secret').press('Enter');
  await page.click('#exchange', { force: true }).catch(() => {});
  await page.locator('#view-result h1').waitFor();
  assert.equal(calls(site, 'double', 'access_token').length, 1);
  await context.close();
});

test('revoke asks for confirmation first, then revokes once', async () => {
  const { context, page } = await open(browser);
  await authorizeAndExchange(page, site, { scenario: 'revoke' });
  const token = await reveal(page);

  await page.click('#revoke');
  await page.locator('#revoke-dialog[open]').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'revoke-cancel');
  await page.click('#revoke-cancel');
  assert.equal(await page.locator('#revoke-dialog[open]').count(), 0);
  assert.equal(calls(site, 'revoke', 'revoke_token').length, 0, 'cancel sent nothing');

  await page.click('#revoke');
  await page.click('#revoke-confirm');
  await page.locator('#revoked-note:not([hidden])').waitFor();
  await waitForStatus(page, 'The token has been revoked.');
  const revokes = calls(site, 'revoke', 'revoke_token');
  assert.equal(revokes.length, 1);
  assert.deepEqual(JSON.parse(revokes[0].body), { app_id: APP_ID, secret: SECRET, access_token: token });
  assert.ok(await page.isDisabled('#revoke'));

  // Start over forgets the token.
  await startOver(page);
  assert.ok(!(await page.content()).includes(token));
  await context.close();
});

test('works when hosted under a sub-path', async () => {
  const sub = await startSite({ mount: '/some/sub/' });
  try {
    const { context, page, requests, errors } = await open(browser);
    await openStart(page, sub.page);
    assert.match(sub.page, /\/some\/sub\/$/);
    assert.equal(await page.inputValue('#redirect-uri'), sub.page);
    await authorize(page, sub);
    await approve(page);
    assert.equal(page.url(), sub.page);
    await exchange(page);
    await page.locator('#advertisers .name', { hasText: 'Demo Shop US' }).waitFor();
    assertLocalOnly(requests);
    assert.ok(requests.some((u) => u.endsWith('/some/sub/pkg/tiktok_ads_auth_bg.wasm')));
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    await sub.close();
  }
});
