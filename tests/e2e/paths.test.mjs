// The paths real users take: the redirect URL as TikTok's setup guides register it, an admin who
// authorizes someone else's app and hands the code back, and the reloads the page asks for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startStandin } from '../standin/server.mjs';
import {
  APP_ID, SECRET, approve, arrive, assertLocalOnly, authorize, browser, calls, exchange, heading, open, openStart,
  revealedToken, site, startOver, useSite,
} from './helpers.mjs';

useSite();

/** The page at the site's root as people open it: http://localhost:PORT, no trailing slash. */
const localhostRoot = () => `http://localhost:${new URL(site.page).port}`;

/** Every request of `list` went to this machine (the loopback names). */
function assertLoopbackOnly(list) {
  assert.ok(list.length > 0, 'no request recorded');
  for (const url of list) {
    const u = new URL(url);
    if (u.protocol === 'blob:' || u.protocol === 'data:') continue;
    assert.ok(['127.0.0.1', 'localhost'].includes(u.hostname), `request left the machine: ${url}`);
  }
}

test('at the root the redirect URL is proposed, copied and sent without the trailing slash, and that flow works', async () => {
  site.standin.reset('default');
  const { context, page, requests, errors } = await open(browser);
  const root = localhostRoot();
  await openStart(page, root);
  assert.equal(await page.inputValue('#redirect-uri'), root);
  await page.click('[data-copy="redirect-uri"]');
  await page.locator('#status', { hasText: 'Redirect URL copied' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), root);
  // Both forms to register (whether TikTok tells them apart is unknown); the link uses the first.
  assert.equal(await page.textContent('#redirect-uri-other'), root + '/');
  assert.ok(await page.isVisible('#redirect-uri-both'));
  assert.match(await page.textContent('#redirect-uri-help'), /and also .*up to 10.*TikTok may tell them apart.*The link below uses this one\./);
  await page.fill('#app-id', APP_ID);
  const link = new URL(await page.textContent('#auth-url'));
  assert.equal(link.searchParams.get('redirect_uri'), root);
  // A URL typed with the final slash offers the form without it; one with a query, no other form.
  await page.fill('#redirect-uri', root + '/cb/');
  assert.equal(await page.textContent('#redirect-uri-other'), root + '/cb');
  assert.equal(new URL(await page.textContent('#auth-url')).searchParams.get('redirect_uri'), root + '/cb/');
  await page.fill('#redirect-uri', root + '/?x=1');
  assert.ok(await page.isHidden('#redirect-uri-both'));
  await page.fill('#redirect-uri', root);
  assert.equal(await page.textContent('#redirect-uri-other'), root + '/');

  await authorize(page, site);
  // The stand-in (TikTok's place) received exactly the registered form.
  const [portal] = site.standin.records('default').filter((r) => r.path.endsWith('/portal/auth'));
  assert.equal(portal.query.redirect_uri, root);
  await approve(page);
  assert.equal(page.url(), `${root}/`, 'the browser asks for "/"; the parameters are stripped');
  assert.match(await page.textContent('#state-verdict'), /State verified/);
  await exchange(page);
  await page.locator('#view-result h1').waitFor();
  assert.equal(calls(site, 'default', 'access_token').length, 1);
  assertLoopbackOnly(requests);
  assert.deepEqual(errors, []);
  await context.close();
});

test('back from TikTok without a code, the page names both forms of the redirect URL, the delay of a change and blockers', async () => {
  const { context, page } = await open(browser);
  const root = localhostRoot();
  for (const query of ['?error=access_denied&error_description=denied&state=s', '?state=only-a-state', '?auth_code=&code=']) {
    await page.goto(root + query);
    await page.locator('#view-error h1').waitFor();
    await page.locator('#redirect-check:not([hidden])').waitFor();
    assert.equal(await page.textContent('#redirect-check-uri'), root, query);
    assert.equal(await page.textContent('#redirect-check-other'), root + '/', query);
    assert.match(await page.textContent('#redirect-check-both'), /final \/ added: .*up to 10 redirect URLs.*not known, so both forms are safest/);
    assert.match(await page.textContent('#redirect-check'), /about ten minutes to apply/);
    // The authorization page itself can be blocked like the API (docs/tiktok.md, "Blockers").
    assert.match(await page.textContent('#redirect-check-blockers'),
      /business-api\.tiktok\.com.*block lists.*content blocker, a DNS filter or a company firewall.*another browser or network, or allow that host/);
  }
  await page.click('#copy-redirect-check');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), root);
  // Not part of any other error: a refused exchange after Start over does not show it.
  await startOver(page, '#view-error .restart');
  assert.ok(await page.isHidden('#redirect-check'));
  await context.close();
});

test('two people, one code: the admin hands the code back in a fragment, the owner gets the token', async () => {
  site.standin.reset('default');
  const since = Date.now();
  // The app's owner copies the authorization link and sends it to the advertiser's admin.
  const owner = await open(browser);
  await openStart(owner.page, site.page);
  await owner.page.fill('#app-id', APP_ID);
  assert.match(await owner.page.textContent('#view-start'), /the page then gives them a link that brings the code back to you/);
  await owner.page.click('#copy-auth-url');
  const authLink = await owner.page.evaluate(() => navigator.clipboard.readText());

  // The admin, in another browser, authorizes and lands with a code but no secret.
  const admin = await open(browser);
  await admin.page.goto(authLink);
  await approve(admin.page);
  const code = await admin.page.textContent('#auth-code');
  assert.match(code, /^[0-9a-f]{40}$/);
  assert.match(await admin.page.textContent('#state-verdict'), /This page did not start this authorization/);
  const box = admin.page.locator('#hand-back');
  await box.waitFor();
  assert.match(await box.locator('h2').textContent(), /^Not your app\? Send the code back to the person who sent you the link$/);
  assert.match(await box.textContent(), /You need no secret/);
  assert.match(await box.textContent(), /without it the code is useless\. It works once and dies at \d\d:\d\d/);
  assert.match(await box.locator('.countdown').textContent(), /^(60 min 00|59 min \d\d) s$/);
  const handBack = await box.locator('#hand-back-link').textContent();
  const parsed = new URL(handBack);
  assert.equal(parsed.origin + parsed.pathname + parsed.search, site.page, 'this page, nothing in the query');
  const fragment = new URLSearchParams(parsed.hash.slice(1));
  assert.equal(fragment.get('auth_code'), code);
  assert.match(fragment.get('expires'), /^\d{10}$/);
  assert.ok(Math.abs(Number(fragment.get('expires')) * 1000 - (Date.now() + 3600_000)) < 15_000);
  await admin.page.click('#copy-hand-back');
  assert.equal(await admin.page.evaluate(() => navigator.clipboard.readText()), handBack);
  assert.equal(await admin.page.inputValue('#secret'), '', 'the admin typed no secret');
  assert.equal(calls(site, 'default', 'access_token').length, 0);
  assert.deepEqual(admin.errors, []);
  await admin.context.close();

  // The owner opens the link in a new tab (whose session storage holds no state).
  const tab = await owner.context.newPage();
  const tabErrors = [];
  tab.on('pageerror', (e) => tabErrors.push(e));
  await tab.goto(handBack);
  await tab.locator('#view-callback:not([aria-busy]) h1').waitFor();
  assert.equal(tab.url(), site.page, 'the code and expiry are gone from the address bar');
  assert.equal(await tab.textContent('#auth-code'), code);
  assert.match(await tab.textContent('#state-verdict'), /^This code was handed to you/);
  assert.doesNotMatch(await tab.textContent('#state-verdict'), /did not start this authorization/);
  assert.ok(await tab.isHidden('#hand-back'), 'no second hand-back');
  assert.match(await tab.textContent('#view-callback .countdown'), /^(60 min 00|59 min \d\d) s$/);
  await exchange(tab);
  await tab.locator('#view-result h1').waitFor();
  const [call] = calls(site, 'default', 'access_token');
  assert.deepEqual(JSON.parse(call.body), { app_id: APP_ID, secret: SECRET, auth_code: code });
  assert.match(await revealedToken(tab), /^[0-9a-f]{40}$/);
  assert.deepEqual(tabErrors, []);

  // The only request that carried the code in its query is TikTok's redirect to the admin.
  const withCode = site.standin.staticRecords().filter((r) => r.at >= since && r.target.includes(code));
  assert.equal(withCode.length, 1, JSON.stringify(withCode));
  assert.match(withCode[0].target, /^\/\?auth_code=/);
  const apiQueries = site.standin.records('default').filter((r) => JSON.stringify(r.query).includes(code));
  assert.deepEqual(apiQueries, [], 'no request to the stand-in carries it in a URL');
  const stored = await tab.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + JSON.stringify(history.state));
  assert.ok(!stored.includes(code));
  assertLocalOnly(owner.requests);
  await owner.context.close();
});

test('the hand-back link opened in the tab that issued the link verifies the state', async () => {
  const owner = await open(browser);
  await owner.page.goto(site.page);
  await owner.page.fill('#app-id', APP_ID);
  await owner.page.click('#copy-auth-url');
  const state = new URL(await owner.page.textContent('#auth-url')).searchParams.get('state');
  const code = site.standin.issueCode({ appId: APP_ID });
  const expires = Math.floor(Date.now() / 1000) + 600; // ten minutes left
  await owner.page.goto('about:blank'); // a load, not a jump to a fragment of the same page
  await owner.page.goto(`${site.page}#auth_code=${code}&state=${state}&expires=${expires}`);
  await owner.page.locator('#view-callback:not([aria-busy]) h1').waitFor();
  assert.match(await owner.page.textContent('#state-verdict'), /State verified/);
  assert.match(await owner.page.textContent('#view-callback .countdown'), /^(10 min 00|9 min \d\d) s$/);
  assert.ok(await owner.page.isHidden('#hand-back'));
  assert.equal(owner.page.url(), site.page);
  // Without the state this tab issued, the code is refused like any other.
  await owner.page.goto('about:blank');
  await owner.page.goto(`${site.page}#auth_code=${code}&expires=${expires}`);
  await heading(owner.page).filter({ hasText: 'This answer does not match the authorization started here' }).waitFor();
  // A forged expiry cannot stretch a code past the hour it lives (a new tab: no state issued).
  const tab = await owner.context.newPage();
  await tab.goto(`${site.page}#auth_code=${code}&expires=99999999999`);
  await tab.locator('#view-callback:not([aria-busy]) h1').waitFor();
  assert.match(await tab.textContent('#view-callback .countdown'), /^(60 min 00|59 min \d\d) s$/);
  await tab.goto('about:blank');
  await tab.goto(`${site.page}#auth_code=${code}&expires=1000`);
  await tab.locator('#expired:not([hidden])').waitFor();
  await owner.context.close();
});

test('the check view survives the reload a new API base needs, with App ID, environment and base, and nothing secret', async () => {
  const relay = await startStandin({ port: 0 });
  try {
    const { context, page, errors } = await open(browser);
    await openStart(page, site.page);
    await page.click('#open-check');
    await page.locator('#view-check h1').waitFor();
    await page.fill('#app-id', APP_ID);
    await page.locator('#app-id').dispatchEvent('change');
    await page.fill('#check-token', 'token-typed-before-reload');
    await page.fill('#check-secret', 'secret-typed-before-reload');
    const base = `${relay.url}/s/check/ok/open_api/v1.3`;
    await page.selectOption('#environment', 'custom');
    await page.fill('#custom-base', base);
    await page.locator('#custom-base').dispatchEvent('change');
    await page.locator('#apply-base').waitFor();
    await Promise.all([page.waitForEvent('load'), page.click('#apply-base')]);
    await page.locator('#view-check:not([hidden]) h1').waitFor();
    assert.equal(await heading(page).textContent(), 'Check a token you already have');
    assert.equal(await page.inputValue('#app-id'), APP_ID);
    assert.equal(await page.inputValue('#environment'), 'custom');
    assert.equal(await page.inputValue('#custom-base'), base);
    assert.ok(await page.isHidden('#custom-reload'), 'the base is allowed now');
    assert.equal(await page.inputValue('#check-token'), '');
    assert.equal(await page.inputValue('#check-secret'), '');
    const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
    assert.ok(csp.includes(relay.url), csp);
    const kept = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + JSON.stringify(history.state) + location.href);
    for (const secret of ['token-typed-before-reload', 'secret-typed-before-reload']) assert.ok(!kept.includes(secret), kept);
    // Start over from there is the start view, and a later reload stays there.
    await startOver(page, '#view-check .restart');
    await page.reload();
    await page.locator('#view-start:not([hidden]) h1').waitFor();
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    await relay.close();
  }
});
