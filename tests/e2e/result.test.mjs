// The result view as TikTok really answers: permission ids of up to 19 digits shown by name, the
// grant's warnings, the check against what OWOX Data Marts reads, an empty account list; and the
// redirect of another TikTok flow (code without auth_code).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  APP_ID, arrive, authorizeAndExchange, browser, exchange, fakeApi, open, openStart, reveal, site, useApiBase,
  useSite,
} from './helpers.mjs';

useSite();

const TOKEN = 'c0ffee00aa11bb22cc33dd44ee55ff6677889900';

/** Exchanges a code and lets `data` (JSON text) be TikTok's answer; waits for the result view. */
async function resultFor(page, data, name) {
  await fakeApi(page, 'access_token', () => ({
    body: `{"code":0,"message":"OK","request_id":"2026112903000000000000000000000000","data":${data}}`,
  }));
  await authorizeAndExchange(page, site, { scenario: name });
}

const permissionNames = (page) => page.locator('#permissions li').allTextContents();

test('a 19-digit permission id and an id that cannot be exact: the token shown, names, and a warning', async () => {
  const { context, page, errors } = await open(browser);
  await resultFor(page, `{"access_token":"${TOKEN}","advertiser_ids":["7000000000000000001"],"scope":[4,7043626160646815746,1.5,123456789]}`, 'scope19');
  assert.equal(await reveal(page), TOKEN, 'the token reaches the user');
  assert.equal(await page.textContent('#scope'), '4, 7043626160646815746, 123456789', 'exact ids, never rounded');
  await page.locator('#permissions-section:not([hidden])').waitFor();
  const names = await permissionNames(page);
  assert.equal(names[0], 'Reporting');
  assert.equal(names[1], 'Ad Insight Report — Reporting');
  assert.match(names[2], /^Permission 123456789 \(not in this page’s list\)$/);
  assert.ok(await page.isVisible('#grant-warnings'));
  const warnings = await page.locator('#grant-warnings-list li').allTextContents();
  assert.ok(warnings.length >= 1, 'the fraction is named as a warning');
  assert.ok(!warnings.join(' ').includes(TOKEN));
  assert.deepEqual(errors, []);
  await context.close();
});

test('a clean grant shows no warnings, and is ready for OWOX Data Marts when every permission it reads is there', async () => {
  const { context, page } = await open(browser);
  // Groups cover their children: 1 (Ad Account Management) covers 100, 2 covers 200/210/220, 3 covers 30.
  await resultFor(page, `{"access_token":"${TOKEN}","advertiser_ids":["7000000000000000001"],"scope":[1,2,3,4]}`, 'owox-ok');
  await page.locator('#permissions-section:not([hidden])').waitFor();
  assert.ok(await page.isHidden('#grant-warnings'));
  assert.match(await page.textContent('#owox-check'), /^Ready for OWOX Data Marts/);
  await context.close();
});

test('a missing permission for OWOX Data Marts says which to add and to authorize again', async () => {
  const { context, page } = await open(browser);
  // Everything but Reporting.
  await resultFor(page, `{"access_token":"${TOKEN}","advertiser_ids":["7000000000000000001"],"scope":[100,200,210,220,30]}`, 'owox-missing');
  await page.locator('#permissions-section:not([hidden])').waitFor();
  const check = await page.textContent('#owox-check');
  assert.match(check, /^Missing for OWOX Data Marts: Reporting\./);
  assert.match(check, /developer portal/);
  assert.match(check, /authorize the app again/);
  assert.equal(await page.getAttribute('#owox-check', 'class'), 'notice warn');
  await context.close();
});

test('no advertiser account granted: authorize again and select at least one', async () => {
  const { context, page } = await open(browser);
  await resultFor(page, `{"access_token":"${TOKEN}","advertiser_ids":[],"scope":[4]}`, 'no-accounts');
  await page.locator('#advertisers-note', { hasText: /authorize again, and select at least one ad account/ }).waitFor();
  assert.equal(await page.locator('#advertisers li').count(), 0);
  await context.close();
});

test('a redirect with code but no auth_code warns that it is not from the Advertiser authorization URL', async () => {
  const { context, page } = await open(browser);
  const code = site.standin.issueCode({ appId: APP_ID, scenario: 'code-only' });
  await page.goto(`${site.page}?code=${code}&state=x`);
  await page.locator('#view-callback:not([aria-busy]) h1').waitFor();
  await page.locator('#code-param:not([hidden])').waitFor();
  assert.match(await page.textContent('#code-param'), /“Advertiser authorization URL”/);
  // TikTok's advertiser flow sends both: no warning then.
  await page.goto(`${site.page}?auth_code=${code}&code=${code}&state=x`);
  await page.locator('#view-callback:not([aria-busy]) h1').waitFor();
  assert.ok(await page.isHidden('#code-param'));
  await context.close();
});

test('against the stand-in: a realistic grant, and one whose scope holds ids that cannot be exact', async () => {
  const { context, page, errors } = await open(browser);
  await authorizeAndExchange(page, site, { scenario: 'odd-scope', behaviour: 'scope-odd' });
  await page.locator('#permissions-section:not([hidden])').waitFor();
  assert.match(await page.textContent('#token'), /^•+hidden$/);
  assert.match(await reveal(page), /^[0-9a-f]{40}$/, 'the token reaches the user');
  assert.equal(await page.textContent('#scope'), '4, 10, 7043626160646815746', 'the inexact ids are left out, never rounded');
  assert.ok((await permissionNames(page)).includes('Ad Insight Report — Reporting'));
  const warnings = await page.locator('#grant-warnings-list li').allTextContents();
  assert.equal(warnings.length >= 1, true, 'the left-out ids are named in a warning');
  await page.locator('#advertisers .name', { hasText: 'Demo Shop EU' }).waitFor();
  // The realistic default grant: 19-digit id included, no warning.
  await page.click('#view-result .restart');
  await arrive(page, site, { scenario: 'real-scope' });
  await useApiBase(page, site.apiBase('real-scope', 'ok'));
  await exchange(page);
  await page.locator('#permissions-section:not([hidden])').waitFor();
  assert.equal(await page.textContent('#scope'), '4, 10, 100, 200, 210, 220, 30, 7043626160646815746');
  assert.ok(await page.isHidden('#grant-warnings'));
  assert.match(await page.textContent('#owox-check'), /^Ready for OWOX Data Marts/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('when result.js cannot load, the token and the advertiser ids still reach the user', async () => {
  const { context, page } = await open(browser);
  await page.route('**/result.js', (route) => route.abort());
  await authorizeAndExchange(page, site, { scenario: 'no-module' });
  assert.match(await reveal(page), /^[0-9a-f]{40}$/);
  assert.deepEqual(await page.locator('#advertisers .id').allTextContents(), ['7000000000000000001', '7000000000000000002']);
  await page.locator('#advertisers-note', { hasText: 'could not be loaded' }).waitFor();
  await page.click('#copy-token');
  await page.locator('#status', { hasText: 'Access token copied' }).waitFor();
  await context.close();
});

test('the start view loads none of the result view’s modules; the callback view fetches them before the token arrives', async () => {
  const { context, page, requests } = await open(browser);
  const lazy = () => requests.filter((u) => /\/(result|scopes|exports|dom)\.js$/.test(new URL(u).pathname)).map((u) => new URL(u).pathname.split('/').pop());
  await openStart(page, site.page);
  await page.waitForTimeout(300);
  assert.deepEqual(lazy(), []);
  await arrive(page, site, { scenario: 'prefetch' });
  // Fetched while the user types the secret (idle time), not on the click.
  await page.waitForFunction(() => performance.getEntriesByType('resource').filter((e) => /\/(result|scopes|exports|dom)\.js$/.test(e.name)).length === 4);
  assert.deepEqual(lazy().sort(), ['dom.js', 'exports.js', 'result.js', 'scopes.js']);
  // The token check's module is not among them: it comes when its view is opened.
  assert.ok(!requests.some((u) => new URL(u).pathname.endsWith('/check.js')), 'check.js fetched by the callback view');
  await context.close();
});

test('the token check’s module comes only when its view is opened', async () => {
  const { context, page, requests, errors } = await open(browser);
  const fetched = () => requests.some((u) => new URL(u).pathname.endsWith('/check.js'));
  await openStart(page, site.page);
  await page.waitForTimeout(300);
  assert.ok(!fetched(), 'check.js fetched by the start view');
  assert.equal(await page.locator('#view-check').count(), 0, 'the check view is built by check.js');
  await page.click('#open-check');
  await page.locator('#view-check:not([hidden]) h1').waitFor();
  assert.ok(fetched());
  assert.deepEqual(errors, []);
  await context.close();
});
