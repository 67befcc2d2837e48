// Where the page keeps the app secret, and for how long: every copy goes as soon as it is not
// needed, a late answer never brings it back, a blocked browser never prints it, and what the
// page remembers (the settings) cannot rewrite its Content-Security-Policy. SECURITY.md rows:
// "Secrets lingering in the page", "Exfiltration to other hosts", the advertiser/get note.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  APP_ID, SECRET, arrive, authorizeAndExchange, browser, calls, curlAnswer, exchange, heading, open,
  openStart, pasteAnswer, patchConfig, site, startOver, useApiBase, useSite,
} from './helpers.mjs';

useSite();

/** Every place in the document a secret could sit: field values, all text (hidden parts and the
 * head too) and every attribute value. */
const domCopies = (page) => page.evaluate(() => ({
  secretField: document.getElementById('secret').value,
  curl: document.getElementById('curl').textContent,
  pasted: document.getElementById('pasted').value,
  text: document.documentElement.textContent +
    [...document.querySelectorAll('*')].flatMap((e) => [...e.attributes].map((a) => a.value)).join('\n'),
}));

test('after a CORS failure, "Back to the code" and a successful exchange, no copy of the secret is left behind', async () => {
  const { context, page } = await open(browser);
  await arrive(page, site, { scenario: 'copies' });
  await useApiBase(page, site.apiBase('copies', 'nocors'));
  await exchange(page);
  await page.locator('#fallback:not([hidden])').waitFor();
  let dom = await domCopies(page);
  assert.ok(dom.curl.includes(SECRET), 'the command on screen carries the secret (on purpose)');
  assert.equal(dom.secretField, '', 'the hidden secret field is emptied once the command is shown');

  await page.click('#retry');
  await page.locator('#view-callback:not([aria-busy]) h1').waitFor();
  dom = await domCopies(page);
  assert.equal(dom.curl, '', 'the hidden command is emptied');
  assert.ok(!dom.text.includes(SECRET));
  assert.equal(dom.secretField, SECRET, 'back in the field it was typed in, for the retry');

  await useApiBase(page, site.apiBase('copies', 'ok'));
  await page.click('#exchange');
  await page.locator('#view-result h1').waitFor();
  dom = await domCopies(page);
  assert.equal(dom.secretField, '', 'the secret field is emptied after the exchange');
  assert.ok(!dom.text.includes(SECRET));
  await context.close();
});

test('after the pasted answer, neither the command nor the field keeps the secret', async () => {
  const { context, page } = await open(browser);
  const code = await arrive(page, site, { scenario: 'copies-paste' });
  await useApiBase(page, site.apiBase('copies-paste', 'nocors'));
  await exchange(page);
  await page.locator('#fallback:not([hidden])').waitFor();
  await pasteAnswer(page, await curlAnswer(site, 'copies-paste', code));
  await page.locator('#view-result h1').waitFor();
  const dom = await domCopies(page);
  assert.deepEqual([dom.secretField, dom.curl, dom.pasted], ['', '', '']);
  assert.ok(!dom.text.includes(SECRET));
  await context.close();
});

test('the paste path looks up no names: the secret never reaches a URL or the console, a command is offered instead', async () => {
  // A secret that shows however it is escaped.
  const secret = `0f${Math.random().toString(16).slice(2, 12)}5ecre7`;
  const { context, page, console, requests } = await open(browser);
  const code = await arrive(page, site, { scenario: 'paste-names' });
  await useApiBase(page, site.apiBase('paste-names', 'nocors'));
  await exchange(page, secret);
  await page.locator('#fallback:not([hidden])').waitFor();
  const answer = await curlAnswer(site, 'paste-names', code, secret);
  const token = JSON.parse(answer).data.access_token;
  await pasteAnswer(page, answer);
  await page.locator('#view-result h1').waitFor();
  await page.locator('#advertisers-note', { hasText: 'were not looked up' }).waitFor();
  await page.waitForTimeout(500); // what a lookup would have logged has arrived by now
  assert.equal(calls(site, 'paste-names', 'advertiser/get').length, 0, 'no advertiser/get request');
  assert.ok(!requests.some((u) => u.includes('/advertiser/get/')), 'not even one the browser refused');
  assert.ok(!console.join('\n').includes(secret), `the secret is in the console:\n${console.join('\n')}`);
  // The command is shown with dots; the copy button gives the whole of it.
  const shown = await page.textContent('#names-curl');
  assert.ok(!shown.includes(secret) && !shown.includes(token), shown);
  await page.click('#copy-names-curl');
  await page.locator('#status', { hasText: 'Command copied' }).waitFor();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.equal(copied, `curl -sS -g -X GET '${site.apiBase('paste-names', 'nocors')}/oauth2/advertiser/get/?app_id=${APP_ID}&secret=${secret}' \\\n  -H 'Access-Token: ${token}'`);
  await context.close();
});

test('Start over while the exchange is in flight: the late answer is dropped and the secret forgotten', async () => {
  const { context, page, errors } = await open(browser);
  await arrive(page, site, { scenario: 'late' });
  await useApiBase(page, site.apiBase('late', 'slow-1500'));
  await exchange(page);
  assert.equal(await page.textContent('#exchange'), 'Exchanging…');
  await startOver(page, '#view-callback .link.restart');
  // The stand-in answers (with a token) after 1.5 s; give it time to arrive.
  await page.waitForTimeout(2500);
  assert.equal(calls(site, 'late', 'access_token').length, 1, 'the request did go out');
  assert.equal(await heading(page).textContent(), 'Get a TikTok Marketing API access token');
  assert.ok(await page.isHidden('#view-result'));
  assert.equal(await page.textContent('#token'), '');
  assert.equal(await page.inputValue('#secret'), '');
  assert.ok(!(await page.evaluate(() => document.body.textContent)).includes(SECRET));
  assert.deepEqual(errors, []);
  await context.close();
});

test('revoking moves the focus to the note that says so', async () => {
  const { context, page } = await open(browser);
  await authorizeAndExchange(page, site, { scenario: 'focus' });
  await page.click('#revoke');
  await page.click('#revoke-confirm');
  await page.locator('#revoked-note:not([hidden])').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'revoked-note');
  await context.close();
});

// ------------------------------------------------------------------ settings and the policy

const POISON = 'https://relay.example;script-src-elem/open_api/v1.3';

/** The page ran its script (it shows the start view) and the policy is the page's own. */
async function assertPolicyIntact(page) {
  await page.locator('#view-start h1').waitFor();
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert.ok(!csp.includes('script-src-elem') && !csp.includes('relay.example'), csp);
  assert.equal(csp.split(';').length, 9, csp);
}

test('a custom API base the package refused is never remembered, so it cannot add a directive to the policy', async () => {
  const { context, page, errors } = await open(browser);
  await openStart(page, site.page);
  await page.selectOption('#environment', 'custom');
  await page.fill('#custom-base', POISON);
  await page.locator('#custom-base').dispatchEvent('change');
  await page.fill('#app-id', '7000000000000000009');
  await page.locator('#app-id').dispatchEvent('change');
  const saved = JSON.parse(await page.evaluate(() => localStorage.getItem('tiktok-ads-auth:settings')));
  assert.equal(saved.appId, '7000000000000000009');
  assert.ok(!JSON.stringify(saved).includes('script-src-elem'), JSON.stringify(saved));
  await page.reload();
  await assertPolicyIntact(page);
  assert.equal(await page.inputValue('#app-id'), '7000000000000000009');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a poisoned remembered base (a ";" in its host) never reaches the policy', async () => {
  const { context, page, errors } = await open(browser);
  await page.addInitScript((base) => {
    localStorage.setItem('tiktok-ads-auth:settings', JSON.stringify({ environment: 'custom', customApiBase: base }));
  }, POISON);
  await page.goto(site.page);
  await assertPolicyIntact(page);
  assert.deepEqual(await page.evaluate(() => window.__cspViolations), []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('environments are read by their own names: one called "constructor" is labelled so', async () => {
  const { context, page } = await open(browser);
  await patchConfig(page, (c) => { c.environments.constructor = `${site.url}/open_api/v1.3`; });
  await openStart(page, site.page);
  const labels = await page.locator('#environment option').allTextContents();
  assert.ok(labels.includes('constructor'), labels.join(' | '));
  assert.ok(!labels.some((l) => /function|native code/.test(l)), labels.join(' | '));
  await page.selectOption('#environment', 'constructor');
  assert.equal(await page.textContent('#environment-help'), `Requests go to ${site.url}/open_api/v1.3`);
  await context.close();
});

test('the sandbox: no doomed exchange, and where sandbox tokens come from', async () => {
  const { context, page, requests } = await open(browser);
  await arrive(page, site, { scenario: 'sandbox' });
  await page.selectOption('#environment', 'sandbox');
  assert.match(await page.textContent('#environment-help'), /sandbox page in the TikTok developer portal/);
  await exchange(page);
  // The package's own refusal, message and hint, shown as it gives them.
  await page.locator('#exchange-error:not([hidden])', { hasText: 'is TikTok\'s sandbox, which does not run this authorization flow' }).waitFor();
  assert.match(await page.textContent('#exchange-error'), /sandbox page in the TikTok developer portal \(My Apps → your app → Sandbox\)/);
  assert.match(await page.textContent('#exchange-error'), /Error kind\s*invalid_input/);
  assert.ok(!requests.some((u) => u.includes('sandbox-ads')), 'nothing was sent to the sandbox');
  assert.equal(await page.isVisible('#view-callback:not([aria-busy]) h1'), true);
  // From the start view, the authorization does not begin either.
  await startOver(page, '#view-callback .link.restart');
  await page.click('text=Authorize with TikTok');
  await page.locator('#start-error:not([hidden])', { hasText: 'sandbox page' }).waitFor();
  assert.ok(!page.url().includes('/portal/auth'));
  await context.close();
});

/** Every place in the whole document the auth code could sit, hidden or not: all text (head and
 * hidden sections included), every attribute value and every field's value. */
const codeCopies = (page) => page.evaluate(() => [
  document.documentElement.textContent,
  ...[...document.querySelectorAll('*')].flatMap((e) => [...e.attributes].map((a) => a.value)),
  ...[...document.querySelectorAll('input, textarea, select')].map((e) => e.value),
].join('\n'));

test('the auth code is emptied from the page, hidden parts and attributes too, after Start over and after an exchange', async () => {
  const { context, page } = await open(browser);
  // A state this tab did not issue: the hand-back link (with the code) is shown.
  let code = await arrive(page, site, { scenario: 'code-copies' });
  await page.locator('#hand-back:not([hidden])').waitFor();
  assert.ok((await codeCopies(page)).includes(code), 'the callback view shows the code (on purpose)');
  await startOver(page, '#view-callback .link.restart');
  assert.ok(!(await codeCopies(page)).includes(code), 'Start over leaves the code in the document');

  code = await arrive(page, site, { scenario: 'code-copies' });
  await page.locator('#hand-back:not([hidden])').waitFor();
  await useApiBase(page, site.apiBase('code-copies', 'ok'));
  await exchange(page);
  await page.locator('#view-result h1').waitFor();
  assert.ok(!(await codeCopies(page)).includes(code), 'a successful exchange leaves the code in the document');
  await context.close();
});

test('a code with bidirectional controls (a crafted link) is shown neutralised, never applied', async () => {
  const { context, page } = await open(browser);
  const code = 'c0de\u202Eevil\u2066x\u202C';
  await page.goto(`${site.page}?${new URLSearchParams({ auth_code: code, code })}`);
  await page.locator('#view-callback:not([aria-busy]) h1').waitFor();
  assert.equal(await page.textContent('#auth-code'), 'c0de\uFFFDevil\uFFFDx\uFFFD');
  await page.locator('#hand-back:not([hidden])').waitFor();
  assert.equal(await page.evaluate(() => /[\u202A-\u202E\u2066-\u2069]/.test(document.documentElement.textContent)), false,
    'no bidirectional control anywhere in the page\'s text');
  await context.close();
});
