// Shared by the page's end-to-end tests: builds the page against the TikTok stand-in, starts
// the stand-in with a static listener, and launches the system Chromium (never a download).
// The page steps (arrive, useApiBase, exchange, reveal, …) are ../page-steps/steps.mjs, shared
// with the WebDriver suite (tests/engines/) and re-exported here; what only Playwright can do
// (routes, CDP, views for screenshots) stays in this file.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import { startStandin } from '../standin/server.mjs';
import { arrive, exchange, openStart, useApiBase } from '../page-steps/steps.mjs';

export {
  APP_ID, SECRET, approve, arrive, authorize, authorizeAndExchange, calls, curlAnswer, exchange, openStart,
  pasteAnswer, reveal, revealedToken, startOver, useApiBase, waitForStatus, waitForView,
} from '../page-steps/steps.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Starts the stand-in serving a freshly built demo page under `mount`. */
export async function startSite({ mount = '/' } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'tiktok-ads-auth-page-'));
  // The static listener reads files per request, so the page can be built after it starts
  // (the demo config needs the stand-in's port).
  const standin = await startStandin({ port: 0, staticDir: dir, staticPort: 0, staticMount: mount });
  execFileSync(process.execPath, [join(ROOT, 'scripts/build-page.mjs'), '--out', dir, '--standin', standin.url], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return {
    dir, // the built page
    standin,
    url: standin.url,
    page: standin.staticUrl,
    apiBase: (scenario, behaviour) => `${standin.url}/s/${scenario}/${behaviour}/open_api/v1.3`,
    async close() {
      await standin.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-gpu'],
  });
}

/**
 * A fresh context and page that records every request URL and page error, so a test can
 * assert that nothing left 127.0.0.1 and nothing threw.
 */
export async function open(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const requests = [];
  const errors = [];
  const console = [];
  context.on('request', (r) => requests.push(r.url()));
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(e));
  page.on('console', (m) => console.push(m.text()));
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  return { context, page, requests, errors, console };
}

/** Every request went to the loopback stand-in (or stayed inside the browser). */
export function assertLocalOnly(requests) {
  assert.ok(requests.length > 0, 'no request recorded');
  for (const url of requests) {
    const u = new URL(url);
    if (u.protocol === 'blob:' || u.protocol === 'data:') continue;
    assert.equal(u.hostname, '127.0.0.1', `request left the machine: ${url}`);
  }
}

export const heading = (page) => page.locator('.view:not([hidden]) h1');

/** Rewrites the deployment config (config.js) the page loads with `change(config)`. */
export async function patchConfig(page, change) {
  await page.route('**/config.js', async (route) => {
    const text = await (await route.fetch()).text();
    const config = JSON.parse(text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1));
    change(config);
    await route.fulfill({ contentType: 'text/javascript', body: `window.tiktokAdsAuthConfig = ${JSON.stringify(config)};` });
  });
}

/**
 * Answers the page's calls to one API endpoint ("access_token", "advertiser/get", "revoke_token")
 * with `answer(request) -> {status, body}` (body as text, so 19-digit numbers stay exact), CORS
 * allowed; returns a function that stops doing so.
 */
export async function fakeApi(page, endpoint, answer) {
  const matches = (url) => url.pathname.endsWith(`/oauth2/${endpoint}/`);
  const handler = async (route) => {
    const request = route.request();
    const headers = {
      'Access-Control-Allow-Origin': request.headers().origin || '*',
      'Access-Control-Allow-Headers': 'Content-Type, Access-Token',
      'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
    };
    if (request.method() === 'OPTIONS') return route.fulfill({ status: 204, headers });
    const { status = 200, body } = await answer(request);
    return route.fulfill({ status, headers: { ...headers, 'Content-Type': 'application/json' }, body });
  };
  await page.route(matches, handler);
  return () => page.unroute(matches, handler);
}

/** The two widths the views are checked at (screenshots.test.mjs, a11y.test.mjs). */
export const DEVICES = { desktop: { width: 1280, height: 800 }, phone: { width: 360, height: 740 } };

/**
 * Brings `page` to one view of the page, as `site` (useSite) serves it: "start", "check",
 * "callback" (a code this tab did not ask for, so with the hand-back), "invalid" (the callback
 * form refusing an empty secret), "denied" (TikTok's error redirect), "result", "error" (TikTok
 * refused the code) or "cors" (the exchange blocked, the terminal fallback). `scenario` keeps one view's codes apart from another's.
 */
export async function reach(page, view, scenario) {
  if (view === 'start' || view === 'check') {
    await openStart(page, site.page);
    if (view === 'check') {
      await page.click('#open-check');
      await page.locator('#view-check h1').waitFor();
      await page.selectOption('#environment', { index: 0 }); // not the relay an earlier shot chose
    }
    return;
  }
  if (view === 'denied') {
    await page.goto(`${site.page}?error=access_denied&error_description=denied&state=s`);
    await page.locator('#view-error h1').waitFor();
    return;
  }
  await arrive(page, site, { scenario, state: view === 'callback' ? 'from-the-portal' : null });
  if (view === 'callback') return;
  if (view === 'invalid') {
    await useApiBase(page, site.apiBase(scenario, 'ok'));
    await exchange(page, '');
    await page.locator('#exchange-error:not([hidden])').waitFor();
    return;
  }
  const behaviour = { result: 'ok', error: 'code-40110', cors: 'nocors' }[view];
  await useApiBase(page, site.apiBase(scenario, behaviour));
  await exchange(page);
  if (view === 'result') {
    await page.locator('#advertisers .name', { hasText: 'Demo Shop US' }).waitFor();
    await page.locator('#tools:not([hidden])').waitFor();
  } else {
    await page.locator('#view-error h1').waitFor();
    await page.locator('#status:not(:empty)').waitFor();
  }
}

/**
 * The setup every page test file shares: one Chromium and one stand-in serving a freshly built
 * demo page, started before the file's tests and closed after them. `browser` and `site` are live
 * bindings: read them inside tests and hooks.
 */
export let browser;
export let site;
export function useSite() {
  before(async () => {
    [browser, site] = await Promise.all([launch(), startSite()]);
  });
  after(async () => {
    await browser?.close();
    await site?.close();
  });
}
