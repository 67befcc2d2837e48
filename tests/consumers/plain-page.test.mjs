// The packed package on a plain page with no build step: one <script type="module"> importing
// 'tiktok-ads-auth' through an import map that points into node_modules, served as static files.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startStandin } from '../standin/server.mjs';
import { assertExchanged, exchangeInBrowser, installConsumer, launchChromium, packPackage } from './pack.mjs';

let pack, standin, browser;

before(async () => {
  pack = packPackage();
  const dir = installConsumer('consumers/plain-page', pack);
  standin = await startStandin({ port: 0, staticDir: dir, staticPort: 0, staticMount: '/app/' });
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await standin?.close();
  pack?.cleanup();
});

test('a page with no build step loads the package once and exchanges a code', async () => {
  const outcome = await exchangeInBrowser(browser, standin, standin.staticUrl, 'plain-page');
  assertExchanged(outcome, standin, 'plain-page');
  const wasm = outcome.requests.find((u) => u.endsWith('.wasm'));
  assert.equal(new URL(wasm).pathname, '/app/node_modules/tiktok-ads-auth/tiktok_ads_auth_bg.wasm');
});
