// The packed package in a Vite app: `vite build` must emit the .wasm as an asset and keep the
// package's initialisation (top-level await in its browser entry), and the bundle must complete
// an exchange in Chromium. The dev server is checked too, with the config the README gives.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startStandin } from '../standin/server.mjs';
import { assertExchanged, exchangeInBrowser, installConsumer, launchChromium, packPackage } from './pack.mjs';

// Vite 7 runs on Node ^20.19 or >= 22.12; the package itself supports Node 18.
const [major, minor] = process.versions.node.split('.').map(Number);
const viteRuns = major > 22 || (major === 22 && minor >= 12) || (major === 20 && minor >= 19) || major === 21;
const skip = !viteRuns && `Vite 7 needs Node ^20.19 or >= 22.12 (this is ${process.version})`;

let pack, dir, vite, browser;
const closers = [];

before(async () => {
  if (skip) return;
  pack = packPackage();
  dir = installConsumer('consumers/vite-app', pack);
  vite = await import('vite');
  browser = await launchChromium();
});

after(async () => {
  for (const close of closers.reverse()) await close();
  await browser?.close();
  pack?.cleanup();
});

test('vite build bundles the package with one .wasm asset and the bundle exchanges a code', { skip }, async () => {
  const outDir = join(dir, 'dist');
  await vite.build({ root: dir, logLevel: 'warn', build: { outDir } });
  const assets = readdirSync(join(outDir, 'assets'));
  const wasm = assets.filter((f) => f.endsWith('.wasm'));
  assert.equal(wasm.length, 1, `one wasm asset: ${assets.join(', ')}`);
  assert.match(wasm[0], /^tiktok_ads_auth_bg-[\w-]+\.wasm$/);
  // The package's command and page (bin/, page/) stay out of the bundle.
  const code = assets.filter((f) => f.endsWith('.js')).map((f) => readFileSync(join(outDir, 'assets', f), 'utf8')).join('\n');
  for (const marker of ['node:http', 'frame-ancestors', 'redirect URL to register', 'tiktokAdsAuthConfig']) {
    assert.ok(!code.includes(marker), `the bundle holds ${marker}`);
  }

  const standin = await startStandin({ port: 0, staticDir: outDir, staticPort: 0, staticMount: '/' });
  closers.push(() => standin.close());
  const outcome = await exchangeInBrowser(browser, standin, standin.staticUrl, 'vite-build');
  assertExchanged(outcome, standin, 'vite-build');
  assert.ok(outcome.requests.some((u) => u.endsWith(`/assets/${wasm[0]}`)), 'the emitted asset is the one loaded');
});

test('the Vite dev server serves the package with the README\'s optimizeDeps setting', { skip }, async () => {
  const standin = await startStandin({ port: 0 });
  closers.push(() => standin.close());
  const server = await vite.createServer({
    root: dir,
    logLevel: 'warn',
    cacheDir: join(dir, 'node_modules/.vite'),
    server: { host: '127.0.0.1', port: 0, strictPort: false, hmr: false },
  });
  closers.push(() => server.close());
  await server.listen();
  const outcome = await exchangeInBrowser(browser, standin, server.resolvedUrls.local[0], 'vite-dev');
  assertExchanged(outcome, standin, 'vite-dev');
});
