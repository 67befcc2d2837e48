// scripts/serve.sh --tiktok: builds the production page into dist/www and serves it with the
// package's own server, talking to TikTok (no stand-in). Started on a free port, loaded in
// Chromium, stopped with its whole process group.
//
// With --no-build: the suites beside this one read pkg/, which rebuilding it here would rewrite
// under them; scripts/test.sh builds it once before every suite, with the same two steps
// (setup.sh, build-wasm.sh) that every mode of serve.sh runs first.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startStandin } from '../standin/server.mjs';
import { ROOT, launchChromium, openStartView, rawRequest, startServing } from './pack.mjs';
import { readConfig } from '../../npm/bin/page.mjs';

const run = promisify(execFile);
let site, browser;

before(async () => {
  site = await startServing('bash', [join(ROOT, 'scripts/serve.sh'), '--tiktok', '--no-build', '--port', '0'], {
    cwd: ROOT,
    timeoutMs: 60_000,
  });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await site?.stop();
});

test('serve.sh --tiktok prints the redirect URL to register and serves the production page', async () => {
  assert.match(site.output(), /Advertiser redirect URL to register: +http:\/\/localhost:\d+\n/);
  assert.match(site.output(), /Next: in the TikTok developer portal/);
  const seen = await openStartView(browser, site.url);
  assert.deepEqual(seen.errors, []);
  assert.equal(seen.redirectUri, site.url);
  // Its calls go through the package's relay on the page's own origin.
  assert.equal(seen.environment, 'Calls go through this computer to TikTok');
  assert.match(seen.environmentHelp, new RegExp(`http://localhost:${site.port}/open_api/v1\\.3`));
  assert.equal(seen.demoBanner, false);
  // What it serves is dist/www, the folder --production builds for hosting, with the relay first.
  const config = await rawRequest(site.port, '/config.js');
  assert.equal(config.status, 200);
  const served = readConfig(config.body.toString());
  const built = readConfig(readFileSync(join(ROOT, 'dist/www/config.js'), 'utf8'));
  assert.deepEqual({ ...served.environments, 'Calls go through this computer to TikTok': undefined },
    { 'Calls go through this computer to TikTok': undefined, ...built.environments });
  assert.equal(served.environments['Calls go through this computer to TikTok'], `http://localhost:${site.port}/open_api/v1.3`);
  assert.ok(!config.body.toString().includes('stand-in'), 'no stand-in in the production config');
  assert.equal((await rawRequest(site.port, '/pkg/tiktok_ads_auth_bg.wasm')).headers['content-type'], 'application/wasm');
});

test('serve.sh --tiktok stops with its process group', async () => {
  await site.stop();
  const { code, signal } = await site.exited;
  assert.ok(code === 0 || signal === 'SIGTERM', `exit ${code} ${signal}`);
  await assert.rejects(rawRequest(site.port, '/'), /ECONNREFUSED/);
});

test('serve.sh --tiktok --no-relay serves dist/www as built', async () => {
  const plain = await startServing('bash', [join(ROOT, 'scripts/serve.sh'), '--tiktok', '--no-build', '--no-relay', '--port', '0'], {
    cwd: ROOT,
    timeoutMs: 60_000,
  });
  try {
    assert.match(plain.output(), /It talks to TikTok itself/);
    assert.ok((await rawRequest(plain.port, '/config.js')).body.equals(readFileSync(join(ROOT, 'dist/www/config.js'))));
  } finally {
    await plain.stop();
  }
});

test('serve.sh refuses an unknown argument and a bad port', async () => {
  for (const args of [['--tiktok', '--bogus'], ['--tiktok', '--port', 'x']]) {
    await assert.rejects(run('bash', [join(ROOT, 'scripts/serve.sh'), ...args], { cwd: ROOT, timeout: 10_000 }),
      (e) => e.code === 2 && /serve\.sh: /.test(e.stderr));
  }
});

test('the demo page says it is the demo, talks to a stand-in, and names the command for a real token', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tiktok-ads-auth-demo-'));
  const standin = await startStandin({ port: 0, staticDir: dir, staticPort: 0 });
  try {
    execFileSync(process.execPath, [join(ROOT, 'scripts/build-page.mjs'), '--out', dir, '--standin', standin.url], { stdio: 'ignore' });
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(standin.staticUrl);
      await page.waitForSelector('#demo-banner:not([hidden])', { timeout: 15_000 });
      const banner = await page.textContent('#demo-banner');
      assert.match(banner, /^Demo: this page talks to a local TikTok stand-in, not to TikTok\./);
      assert.match(banner, /For a real token from TikTok, run scripts\/serve\.sh --tiktok instead\./);
    } finally {
      await context.close();
    }
  } finally {
    await standin.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
