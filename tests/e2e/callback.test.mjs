// Arriving at the page: state verdicts, denial, expiry, frames, missing WebAssembly, reloads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startStandin } from '../standin/server.mjs';
import {
  APP_ID, approve, arrive, assertLocalOnly, authorize, browser, calls, exchange, heading, open, openStart,
  site, startOver, useApiBase, useSite,
} from './helpers.mjs';

useSite();

test('a link copied from TikTok’s portal (state not issued here) warns and still exchanges', async () => {
  const { context, page, errors } = await open(browser);
  await arrive(page, site, { scenario: 'copied', state: 'from-the-portal' });
  assert.match(await page.textContent('#state-verdict'), /This page did not start this authorization/);
  assert.equal(await page.getAttribute('#state-verdict', 'class'), 'notice warn');
  await useApiBase(page, site.apiBase('copied', 'ok'));
  await exchange(page);
  await page.locator('#view-result h1').waitFor();
  assert.equal(calls(site, 'copied', 'access_token').length, 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a state that differs from the issued one is refused and nothing is exchanged', async () => {
  const { context, page } = await open(browser);
  await openStart(page, site.page);
  assert.equal(await page.evaluate(() => sessionStorage.length), 0, 'showing the link issues nothing yet');
  await page.click('#copy-auth-url'); // using the link does
  assert.equal(await page.evaluate(() => sessionStorage.length), 1);
  const code = site.standin.issueCode({ appId: APP_ID, scenario: 'mismatch' });
  await page.goto(`${site.page}?auth_code=${code}&state=forged-state`);
  await heading(page).filter({ hasText: 'This answer does not match the authorization started here' }).waitFor();
  assert.match(await page.textContent('#error-body'), /the code was not exchanged/);
  assert.ok(await page.isHidden('#exchange-form'));
  assert.ok(await page.isHidden('#retry'), 'no way back to exchanging this code');
  assert.equal(page.url(), site.page);
  assert.equal(site.standin.records('mismatch').length, 0);
  await context.close();
});

test('authorization denied on the portal is explained, and the error parameters are stripped', async () => {
  const { context, page } = await open(browser);
  await openStart(page, site.page);
  await authorize(page, site);
  await page.click('#deny');
  await heading(page).filter({ hasText: 'TikTok did not authorize the app' }).waitFor();
  assert.match(await page.textContent('#error-body'), /access_denied/);
  assert.match(await page.textContent('#error-body'), /accept the requested permissions/);
  assert.equal(page.url(), site.page);
  await startOver(page, '#view-error .restart');
  await context.close();
});

test('an address with OAuth parameters but no code says so', async () => {
  const { context, page } = await open(browser);
  await page.goto(`${site.page}?state=abc`);
  await heading(page).filter({ hasText: 'No authorization code in this address' }).waitFor();
  assert.equal(page.url(), site.page);
  await context.close();
});

test('the countdown runs out after an hour and the page offers to start over', async () => {
  const { context, page } = await open(browser);
  await page.clock.install();
  await arrive(page, site, { scenario: 'expiry' });
  assert.match(await page.textContent('#view-callback .countdown'), /^(60 min 00|59 min \d\d) s$/);
  await page.clock.fastForward('30:00');
  assert.match(await page.textContent('#view-callback .countdown'), /^(30 min 00|29 min \d\d) s$/);
  await page.clock.fastForward('30:01');
  await page.locator('#expired:not([hidden])').waitFor();
  assert.equal(await page.textContent('#view-callback .countdown'), 'expired');
  assert.ok(await page.isHidden('#exchange-form'));
  await startOver(page, '#expired .restart');
  assert.equal(site.standin.records('expiry').length, 0);
  await context.close();
});

test('inside a frame of another origin the page refuses to show its forms', async () => {
  const { context, page } = await open(browser);
  await page.setContent(`<iframe src="${site.page}" width="800" height="600"></iframe>`);
  const frame = page.frameLocator('iframe');
  await frame.locator('#view-fatal h1', { hasText: 'This page cannot be used inside a frame' }).waitFor();
  for (const view of ['#view-start', '#view-callback', '#view-result', '#view-error']) {
    assert.ok(await frame.locator(view).isHidden(), `${view} shown in a frame`);
  }
  assert.equal(await frame.locator('input:visible').count(), 0);
  await context.close();
});

test('without WebAssembly the page says so instead of failing silently', async () => {
  const { context, page } = await open(browser);
  await page.addInitScript(() => { delete window.WebAssembly; });
  await page.goto(site.page);
  await heading(page).filter({ hasText: 'WebAssembly is not available' }).waitFor();
  await context.close();
});

test('without JavaScript the page says what it needs', async () => {
  const { context, page } = await open(browser, { javaScriptEnabled: false });
  await page.goto(site.page);
  assert.match(await page.locator('noscript').textContent(), /needs JavaScript and WebAssembly/);
  assert.ok(await page.isHidden('#loading'));
  assert.equal(await page.locator('input:visible, button:visible').count(), 0);
  await context.close();
});

test('an empty custom API base is explained when used, and nothing is sent', async () => {
  const { context, page } = await open(browser);
  await arrive(page, site, { scenario: 'emptybase' });
  await useApiBase(page, '');
  assert.ok(await page.isHidden('#custom-base-error'), 'not reported while just choosing');
  await exchange(page);
  await page.locator('#custom-base-error:not([hidden])', { hasText: 'apiBase' }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'custom-base');
  assert.equal(site.standin.records('emptybase').length, 0);
  await context.close();
});

test('when the wasm fails to load the page explains it and keeps the code in the address', async () => {
  const { context, page } = await open(browser);
  await page.route('**/pkg/tiktok_ads_auth_bg.wasm', (route) => route.fulfill({ status: 404, body: 'missing' }));
  const code = site.standin.issueCode({ appId: APP_ID, scenario: 'nowasm' });
  await page.goto(`${site.page}?auth_code=${code}`);
  await heading(page).filter({ hasText: 'The page could not load its WebAssembly module' }).waitFor();
  assert.ok(page.url().includes(code), 'a reload can still pick the code up');
  await context.close();
});

test('without sessionStorage the page still works (state then "not issued here")', async () => {
  const { context, page, errors } = await open(browser);
  await page.addInitScript(() => {
    Object.defineProperty(window, 'sessionStorage', {
      get() { throw new DOMException('blocked', 'SecurityError'); },
    });
  });
  await page.goto(site.page);
  await authorize(page, site);
  await approve(page);
  assert.match(await page.textContent('#state-verdict'), /This page did not start this authorization/);
  await exchange(page);
  await page.locator('#view-result h1').waitFor();
  assert.deepEqual(errors, []);
  await context.close();
});

test('a custom API base on a new origin reloads the page to allow it and keeps the code', async () => {
  const relay = await startStandin({ port: 0 });
  try {
    const { context, page, requests, errors } = await open(browser);
    const code = relay.issueCode({ appId: APP_ID, scenario: 'relay' });
    await page.goto(`${site.page}?auth_code=${code}&state=s1`);
    await page.locator('#view-callback:not([aria-busy]) h1').waitFor();
    const base = `${relay.url}/s/relay/ok/open_api/v1.3/`;
    await useApiBase(page, base);
    assert.equal(await page.inputValue('#custom-base'), base.slice(0, -1), 'normalized by the crate');
    await page.locator('#apply-base').waitFor();
    await page.fill('#secret', 'typed-before-reload');
    await page.locator('#custom-base').dispatchEvent('change');
    assert.match(await page.textContent('#apply-base'), /type the secret again/);
    await Promise.all([page.waitForEvent('load'), page.click('#apply-base')]);
    await page.locator('#view-callback:not([aria-busy]) h1').waitFor();
    assert.equal(await page.textContent('#auth-code'), code);
    assert.equal(page.url(), site.page, 'fragment stripped again');
    assert.equal(await page.inputValue('#environment'), 'custom');
    assert.equal(await page.inputValue('#secret'), '', 'the secret is never kept');
    assert.ok(await page.isHidden('#custom-reload'));
    const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
    assert.ok(csp.includes(relay.url), csp);
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    assert.ok(!stored.includes(code));
    await exchange(page);
    await page.locator('#view-result h1').waitFor();
    assert.equal(relay.records('relay').filter((r) => r.method === 'POST').length, 1);
    assertLocalOnly(requests);
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    await relay.close();
  }
});

test('an invalid custom API base is explained by the crate and nothing is sent', async () => {
  const { context, page } = await open(browser);
  await arrive(page, site, { scenario: 'badbase' });
  await useApiBase(page, 'ftp://example.com/open_api');
  await page.locator('#custom-base-error:not([hidden])').waitFor();
  assert.equal(await page.getAttribute('#custom-base', 'aria-invalid'), 'true');
  await exchange(page);
  assert.ok(await page.isVisible('#view-callback'));
  assert.equal(site.standin.records('badbase').length, 0);
  await context.close();
});

/**
 * Holds app.js (and with it the package) until `release()` is called, so a test sees the page as
 * a slow link shows it before the rest arrives.
 */
async function holdApp(page) {
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  await page.route('**/app.js', async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

test('before app.js arrives the code is shown and the secret can be typed; the package then takes over, keeping what was typed', async () => {
  const { context, page, errors } = await open(browser);
  const release = await holdApp(page);
  const code = site.standin.issueCode({ appId: APP_ID, scenario: 'early' });
  await page.goto(`${site.page}?auth_code=${code}&code=${code}&state=not-issued-here`, { waitUntil: 'commit' });
  await page.locator('#view-callback[aria-busy="true"] h1').waitFor();
  assert.equal(await page.textContent('#auth-code'), code);
  assert.equal(await page.textContent('#state-verdict'), 'Checking the code…');
  assert.ok(await page.isDisabled('#exchange'), 'nothing can be sent before the package has read the code');
  assert.ok(await page.locator('#exchange-form #loading').isVisible(), 'says it is still loading, where the button is');
  assert.ok(page.url().includes(code), 'the address bar is the package’s to clean');
  // The user starts typing while the rest loads.
  await page.fill('#secret', 'typed-early');
  await page.press('#secret', 'Enter'); // a disabled button submits nothing
  await page.fill('#app-id', '7000000000000000042'); // not the demo's App ID that app.js would fill in
  release();
  await page.locator('#view-callback:not([aria-busy]) h1').waitFor();
  assert.equal(await page.inputValue('#secret'), 'typed-early');
  assert.equal(await page.inputValue('#app-id'), '7000000000000000042');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'app-id', 'focus stays where the user types');
  assert.match(await page.textContent('#state-verdict'), /This page did not start this authorization/);
  assert.ok(await page.isEnabled('#exchange'));
  assert.ok(await page.isHidden('#loading'));
  assert.ok(!page.url().includes(code), 'the package cleaned the address bar');
  assert.equal(site.standin.records('early').length, 0, 'Enter before the package was ready sent nothing');
  await page.fill('#app-id', APP_ID);
  await useApiBase(page, site.apiBase('early', 'ok'));
  await page.click('#exchange');
  await page.locator('#view-result h1').waitFor();
  assert.equal(calls(site, 'early', 'access_token').length, 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the early view shows only a plain auth_code: errors, doubles, odd codes and `code` alone wait for the package', async () => {
  const long = 'a'.repeat(2049);
  const cases = [
    // [query, shown early, then the package's view: its heading, or null for the callback view]
    ['?auth_code=plain-1&code=plain-1&state=s', true, null],
    ['?auth_code=plain-2&auth_code=plain-2', true, null], // the same value twice is one code
    ['?error=access_denied&auth_code=x1', false, 'TikTok did not authorize the app'],
    ['?auth_code=x1&auth_code=x2', false, 'Please check what you entered'],
    ['?auth_code=x1&code=x2', false, 'Please check what you entered'],
    ['?auth_code=x1&state=1&state=2', false, 'Please check what you entered'],
    ['?auth_code=Call+support+at+555', false, 'Please check what you entered'],
    [`?auth_code=${long}`, false, 'Please check what you entered'],
    ['?auth_code=', false, 'No authorization code in this address'],
    ['?code=x3', false, null], // the package shows it, with the warning about `code`
  ];
  for (const [query, early, title] of cases) {
    const { context, page } = await open(browser);
    const release = await holdApp(page);
    await page.goto(`${site.page}${query}`, { waitUntil: 'commit' });
    await page.waitForFunction(() => document.readyState !== 'loading' && document.getElementById('status'));
    assert.equal(await page.isVisible('#view-callback[aria-busy="true"]'), early, `${query}: shown early`);
    if (!early) assert.ok(await page.isHidden('#view-callback'), `${query}: shown before the package read it`);
    release();
    if (title) {
      await heading(page).filter({ hasText: title }).waitFor();
    } else {
      await page.locator('#view-callback:not([aria-busy]) h1').waitFor();
      assert.equal(await page.isVisible('#code-param'), query.startsWith('?code='));
    }
    await context.close();
  }
});

/** Holds the WebAssembly until `release()` is called: app.js runs, the package cannot yet. */
async function holdWasm(page) {
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  await page.route('**/pkg/tiktok_ads_auth_bg.wasm', async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

const countdown = (page) => page.textContent('#view-callback .countdown');
const seconds = (text) => {
  const time = /^(\d+) min (\d\d) s$/.exec(text);
  assert.ok(time, `the countdown reads ${JSON.stringify(text)}`);
  return Number(time[1]) * 60 + Number(time[2]);
};

test('before the WebAssembly arrives the callback view is complete: the environments and a ticking countdown, which the package keeps', async () => {
  const { context, page, errors } = await open(browser);
  const release = await holdWasm(page);
  const code = site.standin.issueCode({ appId: APP_ID, scenario: 'complete' });
  await page.goto(`${site.page}?auth_code=${code}&code=${code}`, { waitUntil: 'commit' });
  await page.locator('#view-callback[aria-busy="true"] h1').waitFor();
  const environments = () => page.$$eval('#environment option', (all) => all.map((o) => [o.value, o.textContent]));
  const demo = 'TikTok stand-in (demo)';
  const offered = [[demo, demo], ['production', 'Production'], ['sandbox', 'Sandbox'], ['custom', 'Custom API base (your relay)']];
  assert.deepEqual(await environments(), offered);
  assert.equal(await page.inputValue('#environment'), demo, 'the deployment’s default environment');
  assert.equal(await page.textContent('#environment-help'), `Requests go to ${site.url}/open_api/v1.3`);
  assert.equal(await page.inputValue('#app-id'), APP_ID, 'the demo’s App ID, as the package’s view has it');
  // The code's hour, counted down from its arrival.
  const first = await countdown(page);
  assert.ok(seconds(first) > 59 * 60 - 10 && seconds(first) <= 3600, first);
  await page.waitForFunction((t) => document.querySelector('#view-callback .countdown').textContent !== t, first);
  assert.ok(seconds(await countdown(page)) < seconds(first), 'it ticks');
  // The environment can be chosen before the package arrives, with its help and fields.
  await page.selectOption('#environment', 'sandbox');
  assert.match(await page.textContent('#environment-help'), /sandbox page in the TikTok developer portal/);
  assert.ok(await page.isHidden('#custom-field'));
  await page.selectOption('#environment', 'custom');
  assert.equal(await page.textContent('#environment-help'), 'Requests go to the API base you enter below.');
  assert.ok(await page.isVisible('#custom-field'));
  await page.fill('#custom-base', site.apiBase('complete', 'ok'));
  await page.fill('#secret', 'typed-early');
  const before = seconds(await countdown(page));
  assert.equal(await page.evaluate(() => performance.getEntriesByName('tiktok-ads-auth:wasm-ready').length), 0, 'the package has not run');
  release();
  await page.locator('#view-callback:not([aria-busy]) h1').waitFor();
  // The package's view is the early one: nothing added, nothing the user chose lost, the same clock.
  assert.deepEqual(await environments(), offered);
  assert.equal(await page.inputValue('#environment'), 'custom');
  assert.equal(await page.inputValue('#custom-base'), site.apiBase('complete', 'ok'));
  assert.equal(await page.inputValue('#secret'), 'typed-early');
  const after = seconds(await countdown(page));
  assert.ok(after <= before && after >= before - 5, `the countdown went on from ${before} s to ${after} s`);
  await page.click('#exchange');
  await page.locator('#view-result h1').waitFor();
  assert.equal(calls(site, 'complete', 'access_token').length, 1);
  assert.equal(await page.evaluate(() => JSON.stringify({ ...localStorage }).includes('typed-early')), false, 'the secret is never stored');
  assert.deepEqual(errors, []);
  await context.close();
});

test('“Start over” works before the WebAssembly arrives: the code, the secret and the issued state go, and the start view follows', async () => {
  const { context, page, errors } = await open(browser);
  await openStart(page, site.page);
  await page.evaluate(() => sessionStorage.setItem('tiktok-ads-auth:state', 'issued-here'));
  const release = await holdWasm(page);
  const code = site.standin.issueCode({ appId: APP_ID, scenario: 'earlyrestart' });
  await page.goto(`${site.page}?auth_code=${code}&code=${code}&state=issued-here`, { waitUntil: 'commit' });
  await page.locator('#view-callback[aria-busy="true"] h1').waitFor();
  await page.fill('#app-id', '7000000000000000042');
  await page.fill('#secret', 'typed-then-gone');
  await page.click('#view-callback > p > .restart');
  assert.ok(await page.isHidden('#view-callback'), 'the code’s view is gone');
  assert.ok(!page.url().includes(code), 'so is the code, from the address bar');
  assert.equal(await page.inputValue('#secret'), '');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('tiktok-ads-auth:state')), null, 'the state issued for it is forgotten');
  assert.ok(await page.isVisible('#loading'), 'the page says it is loading, as it does without a code');
  release();
  await page.locator('#view-start:not([hidden]) h1').waitFor();
  assert.ok(await page.isHidden('#view-callback'));
  assert.equal(await page.inputValue('#app-id'), '7000000000000000042', 'the App ID typed meanwhile stays');
  assert.match(await page.textContent('#auth-url'), /app_id=7000000000000000042/);
  assert.equal(site.standin.records('earlyrestart').length, 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a reload after the WebAssembly failed counts the code down from its first arrival, before the package is back', async () => {
  const { context, page } = await open(browser);
  await page.route('**/pkg/tiktok_ads_auth_bg.wasm', (route) => route.fulfill({ status: 404, body: 'missing' }));
  const code = site.standin.issueCode({ appId: APP_ID, scenario: 'earlyreload' });
  await page.goto(`${site.page}?auth_code=${code}`);
  await heading(page).filter({ hasText: 'The page could not load its WebAssembly module' }).waitFor();
  await page.waitForTimeout(2100);
  await page.unroute('**/pkg/tiktok_ads_auth_bg.wasm');
  const release = await holdWasm(page);
  await page.reload({ waitUntil: 'commit' });
  await page.locator('#view-callback[aria-busy="true"] h1').waitFor();
  assert.ok(seconds(await countdown(page)) <= 3600 - 2, 'not a new hour: the code arrived before the reload');
  release();
  await page.locator('#view-callback:not([aria-busy]) h1').waitFor();
  assert.ok(seconds(await countdown(page)) <= 3600 - 2);
  await context.close();
});

test('when neither the WebAssembly nor the rest of the page loads, the page still says to reload', async () => {
  const { context, page } = await open(browser);
  await page.route('**/pkg/tiktok_ads_auth_bg.wasm', (route) => route.fulfill({ status: 404, body: 'missing' }));
  await page.route('**/result.js', (route) => route.abort());
  await page.goto(`${site.page}?auth_code=nothing-loads`);
  await heading(page).filter({ hasText: 'The page could not load its WebAssembly module' }).waitFor();
  assert.match(await page.textContent('#fatal-text'), /^Reload the page to try again\. \(.+\)$/);
  await context.close();
});

test('when app.js never arrives, the early view says the page is still loading and sends nothing', async () => {
  const { context, page } = await open(browser);
  await page.route('**/app.js', (route) => route.abort());
  const code = site.standin.issueCode({ appId: APP_ID, scenario: 'noapp' });
  await page.goto(`${site.page}?auth_code=${code}`);
  await page.locator('#view-callback[aria-busy="true"] h1').waitFor();
  assert.ok(await page.locator('#exchange-form #loading').isVisible());
  await page.fill('#secret', 'typed');
  await page.locator('#exchange').click({ force: true });
  assert.ok(await page.isDisabled('#exchange'));
  assert.equal(site.standin.records('noapp').length, 0);
  await context.close();
});

test('the WebAssembly is requested once: early.js compiles it while the page loads, app.js instantiates that', async () => {
  const { context, page, requests, errors } = await open(browser);
  await arrive(page, site, { scenario: 'once' });
  const wasm = requests.filter((url) => url.endsWith('/pkg/tiktok_ads_auth_bg.wasm'));
  assert.equal(wasm.length, 1, wasm.join('\n'));
  assert.equal(await page.evaluate(async () => (await window.tiktokAdsAuthWasm) instanceof WebAssembly.Module), true);
  assert.deepEqual(errors, []);
  await context.close();
});
