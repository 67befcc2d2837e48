// The page under attack and under faults: nothing secret leaks on any flow or error path,
// TikTok-supplied text never becomes markup, a redirect this page did not ask for never
// exchanges by itself, framing and foreign hosts are refused, a used code is never resent,
// and every fault ends in a clear message with what the user typed still in place.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import {
  APP_ID, approve, arrive, assertLocalOnly, authorize, browser, calls, curlAnswer, exchange, fakeApi, heading,
  open, openStart, pasteAnswer, patchConfig, reveal, revealedToken, site, startOver, useApiBase, useSite,
} from './helpers.mjs';

// A secret that URL-encoding, JSON and HTML each write differently, unique to this run.
const SECRET = `Zq9!s3cr"&=+ é<b>-${Math.random().toString(36).slice(2, 10)}`;
// What TikTok's real secrets look like: nothing to escape.
const HEX_SECRET = `0f${Math.random().toString(16).slice(2, 12)}c0ffee5ecre7a11ce0b0b0b0b0b0b0b0b`.slice(0, 40);
const XSS = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><svg onload="window.__pwned=3">';
// The same for the token, which travels in a header later: visible ASCII only.
// Shares no run of 10 letters and digits with XSS: the crate redacts a name holding a piece of the token.
const XSS_TOKEN = '<img/src=y/onload=top.__pwned=11><style>top.__pwned=12</style>';

useSite();
let evil; // another origin on 127.0.0.1: frames the page, redirects into it
let outside; // a host on 127.0.0.2 that the page must never reach
before(async () => {
  [evil, outside] = await Promise.all([startEvil(), startOutside()]);
});
after(async () => {
  await evil?.close();
  await outside?.close();
});

// ---------------------------------------------------------------------------------- servers

function serve(host, handler) {
  return new Promise((resolve) => {
    const server = createServer(handler);
    server.listen(0, host, () => {
      const url = `http://${host}:${server.address().port}`;
      resolve({ server, url, close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }) });
    });
  });
}

/** An attacker's site: `/frame?src=URL[&sandbox=…]` frames a page, `/go?to=URL` redirects to it. */
async function startEvil() {
  return serve('127.0.0.1', (req, res) => {
    const u = new URL(req.url, 'http://x');
    if (u.pathname === '/go') {
      res.writeHead(302, { Location: u.searchParams.get('to') });
      res.end();
      return;
    }
    const sandbox = u.searchParams.has('sandbox') ? ` sandbox="${u.searchParams.get('sandbox')}"` : '';
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(`<!doctype html><title>evil</title><iframe id="f"${sandbox} src="${u.searchParams.get('src')}" width="900" height="700"></iframe>`);
  });
}

/** A host the user never chose; counts every request that reaches it. */
async function startOutside() {
  const s = await serve('127.0.0.2', (req, res) => {
    s.hits.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'Access-Control-Allow-Origin': '*', 'Content-Type': 'text/plain' });
    res.end('reached');
  });
  s.hits = [];
  return s;
}

// ---------------------------------------------------------------------------------- helpers

/** Every spelling of `value` that could carry it: raw, URL-encoded, form-encoded, JSON, HTML. */
function spellings(value) {
  const html = value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return [...new Set([
    value,
    encodeURIComponent(value),
    new URLSearchParams({ x: value }).toString().slice(2),
    JSON.stringify(value).slice(1, -1),
    html,
  ])];
}

/** Opens a context that also records what the browser itself logs (CORS, network, CSP). */
async function openPage(options) {
  const ctx = await open(browser, options);
  ctx.downloads = [];
  ctx.page.on('download', (d) => ctx.downloads.push(d));
  return ctx;
}

/**
 * Looks everywhere a secret could linger: the address bar, every history entry, history.state,
 * storage, cookies, every DOM attribute, the page's text (but the curl box and the revealed
 * token, which show them on purpose), every other field, the console, page errors, request URLs
 * (but advertiser/get, which TikTok wants the secret in) and Referer headers.
 */
async function assertNoLeak(ctx, label, { secret = SECRET, token = null, code = null, except = [] } = {}) {
  const { context, page } = ctx;
  const cdp = await context.newCDPSession(page);
  const { entries } = await cdp.send('Page.getNavigationHistory');
  await cdp.detach();
  const inPage = await page.evaluate(() => {
    const attrs = [];
    for (const el of document.querySelectorAll('*')) {
      for (const a of el.attributes) attrs.push(`<${el.localName} ${a.name}="${a.value}">`);
    }
    const body = document.body.cloneNode(true);
    for (const id of ['curl', 'token']) body.querySelector(`#${id}`)?.replaceChildren();
    const fields = [...document.querySelectorAll('input, textarea, select')]
      .filter((e) => e.id !== 'secret')
      .map((e) => `${e.id}=${e.value}`);
    let storage = '';
    try { storage = JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }); } catch { /* blocked */ }
    return {
      attributes: attrs.join('\n'),
      text: body.textContent + document.title,
      fields: fields.join('\n'),
      storage,
      historyState: JSON.stringify(history.state),
      documentCookie: document.cookie,
    };
  });
  const places = {
    ...inPage,
    address: page.url(),
    history: entries.map((e) => `${e.url} ${e.title}`).join('\n'),
    cookies: JSON.stringify(await context.cookies()),
    console: ctx.console.join('\n'),
    pageErrors: ctx.errors.map((e) => e.stack || String(e)).join('\n'),
    requestUrls: ctx.requests.filter((u) => !u.includes('/oauth2/advertiser/get/')).join('\n'),
    referers: site.standin ? JSON.stringify(allRecords().map((r) => r.headers.referer).filter(Boolean)) : '',
  };
  for (const [what, value] of [['secret', secret], ['token', token], ['auth code', code]]) {
    if (!value) continue;
    for (const form of spellings(value)) {
      for (const [where, text] of Object.entries(places)) {
        if (except.includes(where) || except.includes(`${what}:${where}`)) continue;
        // The callback view shows the code on purpose, and TikTok's redirect brings it in the
        // URL of the page's own first request (removed from the address bar at once).
        if (what === 'auth code' && where === 'text') continue;
        if (what === 'auth code' && where === 'requestUrls') {
          const others = ctx.requests.filter((u) => !u.startsWith(site.page) && !u.includes('/oauth2/advertiser/get/'));
          assert.ok(!others.join('\n').includes(form), `${label}: the auth code is in a request URL`);
          continue;
        }
        assert.ok(!String(text).includes(form), `${label}: the ${what} is in ${where} (as ${JSON.stringify(form)})`);
      }
    }
  }
}

const seenScenarios = new Set();
function allRecords() {
  return [...seenScenarios].flatMap((s) => site.standin.records(s));
}
function scenario(name) {
  seenScenarios.add(name);
  return name;
}

/** Arrives with a code for `name`, points the form at `behaviour`, exchanges with `secret`. */
async function tryExchange(ctx, name, behaviour, { secret = SECRET, state = null } = {}) {
  const code = await arrive(ctx.page, site, { scenario: scenario(name), state });
  await useApiBase(ctx.page, site.apiBase(name, behaviour));
  await exchange(ctx.page, secret);
  return code;
}

/** Back to the callback view: the App ID and the secret the user typed are still there. */
async function assertTypedKept(page, secret = SECRET) {
  await page.click('#retry');
  await page.locator('#view-callback:not([aria-busy]) h1').waitFor();
  assert.equal(await page.inputValue('#secret'), secret, 'the secret the user typed is kept (in memory)');
  assert.equal(await page.inputValue('#app-id'), APP_ID, 'the App ID is kept');
  assert.ok(await page.isEnabled('#exchange'));
}

// ---------------- SECURITY.md: Secrets in errors and logs; Leaked URLs, history; Storage; Referrers

const ERROR_PATHS = [
  // [label, behaviour, heading, kind]
  ['api_error', 'code-40110', 'TikTok refused the request', 'api_error'],
  ['api_error with HTML', 'html', 'TikTok refused the request', 'api_error'],
  ['http_status 500', 'http-500', 'TikTok’s server answered with an error', 'http_status'],
  ['http_status 503', 'http-503', 'TikTok’s server answered with an error', 'http_status'],
  ['invalid_response: HTML page', 'nonjson', 'TikTok’s answer could not be read', 'invalid_response'],
  ['invalid_response: truncated body', 'truncated', 'TikTok’s answer could not be read', 'invalid_response'],
  ['invalid_response: wrong types', 'wrong-types', 'TikTok’s answer could not be read', 'invalid_response'],
  ['network: connection dropped', 'drop', 'Your browser got no answer from TikTok', 'network'],
  ['network: CORS refused', 'nocors', 'Your browser got no answer from TikTok', 'network'],
  ['timeout: no answer at all', 'hang', 'TikTok did not answer in time', 'timeout'],
  ['timeout: answering slowly', 'slow-3000', 'TikTok did not answer in time', 'timeout'],
];

for (const [label, behaviour, title, kind] of ERROR_PATHS) {
  test(`${label}: a clear message, nothing leaked, and the typed App ID and secret kept`, async () => {
    const ctx = await openPage();
    const { page } = ctx;
    if (kind === 'timeout') await patchConfig(page, (c) => { c.timeoutMs = 700; });
    const name = `leak-${behaviour.replace(/[^a-z0-9]/g, '')}`;
    const code = await tryExchange(ctx, name, behaviour);
    await heading(page).filter({ hasText: title }).waitFor();
    assert.match(await page.textContent('#error-body'), new RegExp(`Error kind${kind}`));
    assert.equal(calls(site, name, 'access_token').length, behaviour === 'nocors' ? 0 : 1, 'exactly one request, never retried');
    // The curl fallback shows the secret on purpose, and only for network failures.
    assert.equal(await page.isVisible('#fallback'), kind === 'network');
    await assertNoLeak(ctx, label, { code });
    await assertTypedKept(page);
    await assertNoLeak(ctx, `${label}, back at the form`, { code });
    assert.deepEqual(ctx.errors, []);
    await ctx.context.close();
  });
}

test('invalid_input, state_mismatch, authorization_denied and missing_auth_code leak nothing', async () => {
  const ctx = await openPage();
  const { page } = ctx;
  // invalid_input: a secret with a control character, explained next to the form.
  const code = await arrive(page, site, { scenario: scenario('leak-input') });
  await useApiBase(page, site.apiBase('leak-input', 'ok'));
  await exchange(page, `${SECRET}\u0007`);
  await page.locator('#exchange-error:not([hidden])', { hasText: 'Please check what you entered' }).waitFor();
  await assertNoLeak(ctx, 'invalid_input', { code });
  assert.equal(site.standin.records('leak-input').length, 0);
  // state_mismatch.
  await openStart(page, site.page);
  await page.click('#copy-auth-url');
  const other = site.standin.issueCode({ appId: APP_ID, scenario: scenario('leak-mismatch') });
  await page.goto(`${site.page}?auth_code=${other}&state=forged`);
  await heading(page).filter({ hasText: 'does not match' }).waitFor();
  await assertNoLeak(ctx, 'state_mismatch', { code: other });
  // authorization_denied and missing_auth_code.
  await page.goto(`${site.page}?error=access_denied&error_description=${encodeURIComponent('no thanks')}&state=x`);
  await heading(page).filter({ hasText: 'did not authorize' }).waitFor();
  await assertNoLeak(ctx, 'authorization_denied');
  await page.goto(`${site.page}?state=only`);
  await heading(page).filter({ hasText: 'No authorization code' }).waitFor();
  await assertNoLeak(ctx, 'missing_auth_code');
  assert.deepEqual(ctx.errors, []);
  await ctx.context.close();
});

test('the whole flow — authorize, exchange, reveal, copy, download, revoke, start over — leaks nothing', async () => {
  const ctx = await openPage();
  const { page } = ctx;
  site.standin.reset(scenario('default'));
  await openStart(page, site.page);
  await authorize(page, site);
  await approve(page);
  assert.match(await page.textContent('#state-verdict'), /State verified/);
  const code = await page.textContent('#auth-code');
  await assertNoLeak(ctx, 'callback view', { code });
  await exchange(page);
  await page.locator('#view-result h1').waitFor();
  await page.locator('#advertisers .name', { hasText: 'Demo Shop EU' }).waitFor();
  const token = await revealedToken(page);
  await page.click('#copy-token');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  const saved = await readFile(await download.path(), 'utf8');
  assert.ok(saved.includes(token), 'the download holds the token');
  for (const form of spellings(SECRET)) assert.ok(!saved.includes(form), 'the download holds no secret');
  await assertNoLeak(ctx, 'result view', { token, code });
  await page.click('#revoke');
  await page.click('#revoke-confirm');
  await page.locator('#revoked-note:not([hidden])').waitFor();
  await assertNoLeak(ctx, 'after revoking', { token, code });
  await startOver(page);
  assert.ok(!(await page.content()).includes(token), 'start over forgets the token');
  await assertNoLeak(ctx, 'after start over', { token, code });
  assertLocalOnly(ctx.requests);
  assert.deepEqual(ctx.errors, []);
  await ctx.context.close();
});

test('failing name lookup and failing revoke that echo the credentials show neither', async () => {
  const ctx = await openPage();
  const { page } = ctx;
  const name = scenario('leak-echo');
  await fakeApi(page, 'advertiser/get', (request) => ({
    status: 500,
    body: `upstream said no to token ${request.headers()['access-token']} with secret ${HEX_SECRET}`,
  }));
  await fakeApi(page, 'revoke_token', (request) => ({
    body: JSON.stringify({ code: 40105, message: `token in ${request.postData()} was rejected`, request_id: HEX_SECRET }),
  }));
  const code = await tryExchange(ctx, name, 'ok', { secret: HEX_SECRET });
  await page.locator('#view-result h1').waitFor();
  await page.locator('#advertisers-note', { hasText: 'Advertiser names are not available' }).waitFor();
  const token = await revealedToken(page);
  await page.click('#revoke');
  await page.click('#revoke-confirm');
  await page.locator('#revoke-error:not([hidden])', { hasText: 'TikTok refused the request' }).waitFor();
  assert.match(await page.textContent('#revoke-error'), /\[redacted\]/);
  await assertNoLeak(ctx, 'echoed credentials', { secret: HEX_SECRET, token, code });
  await ctx.context.close();
});

test('a relay that echoes the request in an HTTP error shows no secret (TikTok-style secret)', async () => {
  const ctx = await openPage();
  const { page } = ctx;
  await fakeApi(page, 'access_token', (request) => ({ status: 400, body: `bad request: ${request.postData()}` }));
  const code = await tryExchange(ctx, 'leak-relay', 'ok', { secret: HEX_SECRET });
  await heading(page).filter({ hasText: 'TikTok’s server answered with an error' }).waitFor();
  assert.match(await page.textContent('#error-body'), /\[redacted\]/);
  await assertNoLeak(ctx, 'relay echo', { secret: HEX_SECRET, code });
  await ctx.context.close();
});

test('a relay that echoes the request in an HTTP error shows no secret (secret with characters JSON escapes)', async () => {
  const ctx = await openPage();
  const { page } = ctx;
  await fakeApi(page, 'access_token', (request) => ({ status: 400, body: `bad request: ${request.postData()}` }));
  const code = await tryExchange(ctx, 'leak-relay-escaped', 'ok');
  await heading(page).filter({ hasText: 'TikTok’s server answered with an error' }).waitFor();
  await assertNoLeak(ctx, 'relay echo', { code });
  await ctx.context.close();
});

test('the CORS fallback (curl, pasted answer) leaks nothing outside the curl box', async () => {
  const ctx = await openPage();
  const { page } = ctx;
  const name = scenario('leak-paste');
  const code = await tryExchange(ctx, name, 'nocors', { secret: HEX_SECRET });
  await page.locator('#fallback:not([hidden])').waitFor();
  const answer = await curlAnswer(site, name, code, HEX_SECRET);
  const token = JSON.parse(answer).data.access_token;
  await pasteAnswer(page, answer);
  await page.locator('#view-result h1').waitFor();
  await page.locator('#advertisers-note', { hasText: 'were not looked up' }).waitFor();
  assert.equal(await page.inputValue('#pasted'), '', 'the pasted answer (with the token) is cleared');
  // The console is checked by the next test.
  await assertNoLeak(ctx, 'paste fallback', { secret: HEX_SECRET, token, code, except: ['console'] });
  await ctx.context.close();
});

// advertiser/get carries ?secret= (TikTok wants it there), and the browser logs the URL of a
// request CORS refused: after the paste path the page sends no lookup at all.
test('the CORS fallback never puts the secret in the browser console', async () => {
  const ctx = await openPage();
  const { page } = ctx;
  const name = scenario('leak-console');
  const code = await tryExchange(ctx, name, 'nocors', { secret: HEX_SECRET });
  await page.locator('#fallback:not([hidden])').waitFor();
  const answer = await curlAnswer(site, name, code, HEX_SECRET);
  await pasteAnswer(page, answer);
  await page.locator('#view-result h1').waitFor();
  await page.waitForTimeout(500);
  assert.equal(calls(site, name, 'advertiser/get').length, 0, 'no name lookup after the paste path');
  assert.ok(!ctx.requests.some((u) => u.includes('/advertiser/get/')), 'no lookup the browser refused either');
  await assertNoLeak(ctx, 'console after the paste fallback', { secret: HEX_SECRET });
  await ctx.context.close();
});

// ---------------------------------------------------------------- SECURITY.md: XSS through API text

/** No element that TikTok's text could have created, and no script that ran. */
async function assertInert(page, label) {
  const found = await page.evaluate(() => ({
    pwned: window.__pwned,
    elements: document.querySelectorAll('main img, main script, main svg, main iframe, main object, main embed, #status *').length,
    handlers: [...document.querySelectorAll('*')].flatMap((e) => [...e.attributes].filter((a) => /^on/i.test(a.name)).map((a) => a.name)),
    violations: window.__cspViolations,
  }));
  assert.deepEqual(found, { pwned: undefined, elements: 0, handlers: [], violations: [] }, label);
}

test('an advertiser id that is the token or the secret is shown and exported nowhere: left out, named by position', async () => {
  const ctx = await openPage();
  const { page } = ctx;
  const token = 'e'.repeat(8) + '0123456789abcdef0123456789abcdef';
  const ids = ['7000000000000000001', token, `x${HEX_SECRET}`, '7000000000000000002'];
  await fakeApi(page, 'access_token', () => ({
    body: JSON.stringify({ code: 0, data: { access_token: token, advertiser_ids: ids, scope: [4] } }),
  }));
  await fakeApi(page, 'advertiser/get', () => ({
    body: JSON.stringify({ code: 0, data: { list: [{ advertiser_id: '7000000000000000001', advertiser_name: 'Shop' }] } }),
  }));
  await tryExchange(ctx, 'id-echo', 'ok', { secret: HEX_SECRET });
  await page.locator('#view-result h1').waitFor();
  await page.locator('#grant-warnings:not([hidden])').waitFor();
  assert.deepEqual(await page.locator('#advertisers .id').allTextContents(), ['7000000000000000001', '7000000000000000002']);
  const said = await page.textContent('#grant-warnings-list');
  for (const at of [1, 2]) assert.ok(said.includes(`\`data.advertiser_ids[${at}]\` holds a credential, not an id`), said);
  // Nowhere in the page (the list, its labels, the export previews), but the revealed token.
  await assertNoLeak(ctx, 'ids that are credentials', { secret: HEX_SECRET, token });
  await ctx.context.close();
});

test('HTML and script in every string TikTok sends are shown as text', async () => {
  const ctx = await openPage();
  const { page } = ctx;
  const ids = [`"><img src=x onerror="window.__pwned=4">`, '<script>window.__pwned=5</script>'];
  const requestId = `<iframe src="javascript:window.top.__pwned=6"></iframe>`;
  await fakeApi(page, 'access_token', () => ({
    body: JSON.stringify({ code: 0, message: XSS, request_id: requestId, data: { access_token: XSS_TOKEN, advertiser_ids: ids, scope: [4] } }),
  }));
  await fakeApi(page, 'advertiser/get', () => ({
    body: JSON.stringify({ code: 0, data: { list: ids.map((id) => ({ advertiser_id: id, advertiser_name: XSS })) } }),
  }));
  await fakeApi(page, 'revoke_token', () => ({ body: JSON.stringify({ code: 40105, message: XSS, request_id: requestId }) }));
  await tryExchange(ctx, 'xss-result', 'ok');
  await page.locator('#view-result h1').waitFor();
  await page.locator('#advertisers .name', { hasText: XSS }).first().waitFor();
  assert.equal(await reveal(page), XSS_TOKEN);
  assert.deepEqual(await page.locator('#advertisers .id').allTextContents(), ids);
  assert.deepEqual(await page.locator('#advertisers .name').allTextContents(), [XSS, XSS]);
  assert.equal(await page.textContent('#request-id'), requestId);
  assert.equal(await page.getAttribute('#advertisers li:first-child button', 'aria-label'), `Copy advertiser ID ${ids[0]}`);
  await assertInert(page, 'result view');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  const saved = JSON.parse(await readFile(await download.path(), 'utf8'));
  assert.equal(saved.access_token, XSS_TOKEN);
  assert.deepEqual(saved.advertisers.map((a) => a.advertiser_name), [XSS, XSS]);
  await page.click('#revoke');
  await page.click('#revoke-confirm');
  await page.locator('#revoke-error:not([hidden])').waitFor();
  assert.ok((await page.textContent('#revoke-error')).includes(XSS));
  assert.ok((await page.textContent('#revoke-error')).includes(requestId));
  await assertInert(page, 'revoke error');
  await ctx.context.close();
});

test('bidirectional controls in names, ids and messages are shown neutralised, the data kept exact', async () => {
  const ctx = await openPage();
  const { page } = ctx;
  const BIDI = /[\u202A-\u202E\u2066-\u2069]/;
  const controls = '\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069';
  const ids = ['7000000000000000001', '7000\u202E0000000000002'];
  // A name that would read "Shop EU exe.txt" with the U+202E applied, and one of every control.
  const names = ['Shop EU \u202Etxt.exe\u202C', 'x' + controls + 'y'];
  await fakeApi(page, 'access_token', () => ({
    body: JSON.stringify({ code: 0, message: 'OK', data: { access_token: 'a'.repeat(40), advertiser_ids: ids, scope: [4] } }),
  }));
  await fakeApi(page, 'advertiser/get', () => ({
    body: JSON.stringify({ code: 0, data: { list: ids.map((id, i) => ({ advertiser_id: id, advertiser_name: names[i] })) } }),
  }));
  await fakeApi(page, 'revoke_token', () => ({ body: JSON.stringify({ code: 40105, message: 'Token \u202Edilav\u2069 ' + controls }) }));
  await tryExchange(ctx, 'bidi-result', 'ok');
  await page.locator('#view-result h1').waitFor();
  await page.locator('#advertisers .name', { hasText: 'Shop EU' }).waitFor();
  assert.deepEqual(await page.locator('#advertisers .name').allTextContents(),
    ['Shop EU \uFFFDtxt.exe\uFFFD', 'x' + '\uFFFD'.repeat(9) + 'y']);
  assert.deepEqual(await page.locator('#advertisers .id').allTextContents(), ['7000000000000000001', '7000\uFFFD0000000000002']);
  // The data is kept as TikTok sent it: the download (and the tools' texts) are exact.
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
  const saved = JSON.parse(await readFile(await download.path(), 'utf8'));
  assert.deepEqual(saved.advertisers.map((a) => [a.advertiser_id, a.advertiser_name]), ids.map((id, i) => [id, names[i]]));
  await page.click('#revoke');
  await page.click('#revoke-confirm');
  await page.locator('#revoke-error:not([hidden])').waitFor();
  // The crate's message shows them as spaces (src/text.rs), the page's own text as U+FFFD.
  assert.match(await page.textContent('#revoke-error'), /Token[\s\uFFFD]+dilav[\s\uFFFD]+/);
  assert.equal(await page.evaluate((re) => new RegExp(re).test(document.body.textContent), BIDI.source), false,
    'no bidirectional control anywhere on the page');
  await ctx.context.close();
});

test('HTML in error answers, HTTP error bodies, non-JSON bodies and pasted answers is shown as text', async () => {
  const ctx = await openPage();
  const { page } = ctx;
  const answers = [
    ['api_error', { body: JSON.stringify({ code: 40101, message: XSS, request_id: XSS }) }, 'TikTok refused the request'],
    ['http_status', { status: 502, body: `<html><body>${XSS}</body></html>` }, 'TikTok’s server answered with an error'],
    ['invalid_response', { status: 200, body: `${XSS} <p>login</p>` }, 'TikTok’s answer could not be read'],
  ];
  for (const [kind, answer, title] of answers) {
    const stop = await fakeApi(page, 'access_token', () => answer);
    await tryExchange(ctx, `xss-${kind.replace('_', '')}`, 'ok');
    await heading(page).filter({ hasText: title }).waitFor();
    const body = await page.textContent('#error-body');
    assert.ok(body.includes('<img src=x onerror="window.__pwned=1">'), `${kind}: ${body}`);
    await assertInert(page, kind);
    await stop();
  }
  // The pasted answer of the curl fallback.
  await tryExchange(ctx, 'xss-paste', 'drop');
  await page.locator('#fallback:not([hidden])').waitFor();
  // (An id that is the token itself would be left out: ids go through the redaction.)
  await pasteAnswer(page, JSON.stringify({ code: 0, request_id: XSS, data: { access_token: XSS_TOKEN, advertiser_ids: [XSS] } }));
  await page.locator('#view-result h1').waitFor();
  assert.deepEqual(await page.locator('#advertisers .id').allTextContents(), [XSS]);
  assert.equal(await page.textContent('#request-id'), XSS);
  await assertInert(page, 'pasted answer');
  await ctx.context.close();
});

test('HTML in a crafted redirect (error, error_description, state, auth_code) is shown as text', async () => {
  const ctx = await openPage();
  const { page } = ctx;
  const q = new URLSearchParams({ error: '<script>window.__pwned=7</script>', error_description: XSS, state: '"><svg onload=window.__pwned=8>' });
  await page.goto(`${site.page}?${q}`);
  await heading(page).filter({ hasText: 'TikTok did not authorize the app' }).waitFor();
  const body = await page.textContent('#error-body');
  assert.ok(body.includes(XSS) && body.includes('<script>window.__pwned=7</script>'), body);
  assert.equal(page.url(), site.page, 'the crafted parameters are gone from the address bar');
  await assertInert(page, 'authorization_denied');
  const code = '<svg/onload=window.__pwned=9>';
  await page.goto(`${site.page}?${new URLSearchParams({ auth_code: code, state: '<img src=x onerror=window.__pwned=10>' })}`);
  await page.locator('#view-callback:not([aria-busy]) h1').waitFor();
  assert.equal(await page.textContent('#auth-code'), code);
  await assertInert(page, 'crafted code and state');
  await ctx.context.close();
});

// ----------------------------------------------- SECURITY.md: CSRF / code injection through `state`

test('a redirect with a state this page did not issue never exchanges by itself', async () => {
  const ctx = await openPage();
  const { page } = ctx;
  const name = scenario('csrf');
  // The victim used the page before: App ID and environment remembered.
  await openStart(page, site.page);
  await useApiBase(page, site.apiBase(name, 'ok'));
  await page.locator('#app-id').dispatchEvent('change');
  // An attacker's site sends the victim to the page with the attacker's code.
  const attackerCode = site.standin.issueCode({ appId: APP_ID, scenario: name });
  const target = `${site.page}?auth_code=${attackerCode}&state=attacker`;
  await page.goto(`${evil.url}/go?to=${encodeURIComponent(target)}`);
  await page.locator('#view-callback:not([aria-busy]) h1').waitFor();
  assert.match(await page.textContent('#state-verdict'), /did not start this authorization/);
  assert.equal(await page.getAttribute('#state-verdict', 'class'), 'notice warn');
  assert.equal(await page.inputValue('#secret'), '', 'no secret to exchange with');
  await page.waitForTimeout(1500);
  await page.reload();
  await page.waitForTimeout(500);
  assert.equal(calls(site, name, 'access_token').length, 0, 'nothing was exchanged');
  await ctx.context.close();
});

test('a redirect that drops, changes or repeats the issued state is refused without a request', async () => {
  const ctx = await openPage();
  const { page } = ctx;
  const name = scenario('csrf-issued');
  for (const tamper of [(c) => `auth_code=${c}`, (c) => `auth_code=${c}&state=`, (c) => `auth_code=${c}&state=other`]) {
    await openStart(page, site.page);
    await page.click('#copy-auth-url'); // this page issued a state
    const code = site.standin.issueCode({ appId: APP_ID, scenario: name });
    await page.goto(`${site.page}?${tamper(code)}`);
    await heading(page).filter({ hasText: 'does not match the authorization started here' }).waitFor();
    assert.ok(await page.isHidden('#retry'));
  }
  // A state given twice with different values: the crate refuses the address.
  const code = site.standin.issueCode({ appId: APP_ID, scenario: name });
  await page.goto(`${site.page}?auth_code=${code}&state=a&state=b`);
  await heading(page).filter({ hasText: 'Please check what you entered' }).waitFor();
  assert.equal(site.standin.records(name).length, 0);
  await ctx.context.close();
});

// -------------------------------------------------------------- SECURITY.md: Framing / clickjacking

const FRAMINGS = [
  ['another origin', null],
  ['a sandboxed frame that keeps its origin', 'allow-scripts allow-same-origin allow-forms allow-popups'],
  ['a sandboxed frame with an opaque origin', 'allow-scripts allow-forms allow-popups'],
];
for (const [label, sandbox] of FRAMINGS) {
  test(`framed by ${label}, the page shows no form and exchanges nothing`, async () => {
    const ctx = await openPage();
    const { page } = ctx;
    const name = scenario(`framed${FRAMINGS.findIndex((f) => f[0] === label)}`);
    const code = site.standin.issueCode({ appId: APP_ID, scenario: name });
    const src = `${site.page}?auth_code=${code}&state=s`;
    await page.goto(`${evil.url}/frame?src=${encodeURIComponent(src)}${sandbox ? `&sandbox=${encodeURIComponent(sandbox)}` : ''}`);
    const frame = page.frameLocator('#f');
    if (sandbox && !sandbox.includes('allow-same-origin')) {
      // An opaque origin may not even load the page's module (CORS): no form either way.
      await frame.locator('#view-fatal h1', { hasText: 'inside a frame' }).waitFor({ timeout: 3000 }).catch(() => {});
    } else {
      await frame.locator('#view-fatal h1', { hasText: 'This page cannot be used inside a frame' }).waitFor();
    }
    assert.equal(await frame.locator('input:visible, textarea:visible, button:visible, select:visible').count(), 0);
    assert.equal(await frame.locator('#auth-code').textContent(), '', 'the code is not even shown');
    await page.waitForTimeout(300);
    assert.equal(site.standin.records(name).length, 0);
    await ctx.context.close();
  });
}

// --------------------------- SECURITY.md: Exfiltration to other hosts (the Content-Security-Policy)

test('the CSP blocks every request to a host the user did not choose', async () => {
  // The outside host answers when asked directly: a block below is the policy's doing.
  assert.equal(await (await fetch(`${outside.url}/control`)).text(), 'reached');
  outside.hits.length = 0;
  const ctx = await openPage();
  const { page } = ctx;
  await openStart(page, site.page);
  const target = outside.url;
  const results = await page.evaluate(async (t) => {
    const out = {};
    const settle = (p) => Promise.race([p, new Promise((r) => setTimeout(() => r('no answer'), 1500))]);
    out.fetch = await settle(fetch(`${t}/fetch`).then(() => 'reached', (e) => e.name));
    out.fetchOtherPort = await settle(fetch(`${location.protocol}//127.0.0.1:9/x`).then(() => 'reached', (e) => e.name));
    out.xhr = await settle(new Promise((r) => { const x = new XMLHttpRequest(); x.onload = () => r('reached'); x.onerror = () => r('error'); try { x.open('GET', `${t}/xhr`); x.send(); } catch (e) { r(e.name); } }));
    out.beacon = (() => { try { return navigator.sendBeacon(`${t}/beacon`, 'x') ? 'queued' : 'refused'; } catch (e) { return e.name; } })();
    out.websocket = await settle(new Promise((r) => { try { const w = new WebSocket(`ws://127.0.0.2:${new URL(t).port}/ws`); w.onopen = () => r('open'); w.onerror = () => r('error'); } catch (e) { r(e.name); } }));
    out.eventSource = await settle(new Promise((r) => { try { const s = new EventSource(`${t}/sse`); s.onopen = () => r('open'); s.onerror = () => { s.close(); r('error'); }; } catch (e) { r(e.name); } }));
    out.image = await settle(new Promise((r) => { const i = new Image(); i.onload = () => r('loaded'); i.onerror = () => r('error'); i.src = `${t}/img.png`; }));
    out.importScript = await settle(import(`${t}/module.js`).then(() => 'ran', (e) => e.name));
    out.eval = (() => { try { return eval('"ran"'); } catch (e) { return e.name; } })(); // eslint-disable-line no-eval
    out.inlineScript = await new Promise((r) => { window.__inline = 'blocked'; const s = document.createElement('script'); s.textContent = 'window.__inline = "ran"'; document.body.append(s); setTimeout(() => r(window.__inline), 100); });
    out.form = await new Promise((r) => { const f = document.createElement('form'); f.action = `${t}/form`; f.method = 'post'; document.body.append(f); try { f.submit(); } catch (e) { r(e.name); } setTimeout(() => r('submitted?'), 300); });
    await new Promise((r) => setTimeout(r, 200));
    out.violations = window.__cspViolations.map((v) => v.split(' ')[0]).sort();
    return out;
  }, target);
  assert.equal(results.fetch, 'TypeError', JSON.stringify(results));
  assert.equal(results.fetchOtherPort, 'TypeError');
  assert.equal(results.xhr, 'error');
  assert.notEqual(results.websocket, 'open');
  assert.notEqual(results.eventSource, 'open');
  assert.equal(results.image, 'error');
  assert.equal(results.importScript, 'TypeError');
  assert.equal(results.eval, 'EvalError');
  assert.equal(results.inlineScript, 'blocked');
  for (const directive of ['connect-src', 'img-src', 'script-src-elem', 'form-action']) {
    assert.ok(results.violations.some((v) => v === directive), `no ${directive} violation: ${results.violations}`);
  }
  await page.waitForTimeout(300);
  assert.deepEqual(outside.hits, [], 'a request reached the outside host');
  assert.equal(page.url(), site.page, 'the form was not submitted');
  await ctx.context.close();
});

test('a tampered remembered API base adds one origin to connect-src, never a directive', async () => {
  const ctx = await openPage();
  const { page } = ctx;
  await page.addInitScript((t) => {
    if (!sessionStorage.getItem('seeded')) {
      sessionStorage.setItem('seeded', '1');
      localStorage.setItem('tiktok-ads-auth:settings', JSON.stringify({
        environment: 'custom', customApiBase: `${t}/x 'unsafe-inline' 'unsafe-eval' * ; script-src * data:`,
      }));
    }
  }, outside.url);
  await openStart(page, site.page);
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert.match(csp, /^default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'sha256-[A-Za-z0-9+\/]{43}='; img-src 'self' data: blob:; connect-src 'self'( https?:\/\/[^ ;']+)+; object-src 'none'; base-uri 'none'; form-action 'none'; frame-src 'none'$/, csp);
  assert.ok(!/'unsafe-inline'|'unsafe-eval'|\*/.test(csp), csp);
  const inline = await page.evaluate(() => new Promise((r) => {
    window.__inline = 'blocked';
    const s = document.createElement('script');
    s.textContent = 'window.__inline = "ran"';
    document.body.append(s);
    setTimeout(() => r(window.__inline), 100);
  }));
  assert.equal(inline, 'blocked');
  // The page's own stylesheet is admitted by its hash alone: an injected one is refused.
  const injectedStyle = await page.evaluate(() => {
    const s = document.createElement('style');
    s.textContent = 'main { max-width: 123px }';
    document.head.append(s);
    return getComputedStyle(document.querySelector('main')).maxWidth;
  });
  assert.notEqual(injectedStyle, '123px');
  assert.notEqual(injectedStyle, 'none', 'the page\'s own stylesheet applies');
  // The base itself is refused by the crate (spaces), and shown to the user, never used silently.
  assert.equal(await page.inputValue('#environment'), 'custom');
  assert.ok(await page.isVisible('#custom-base'));
  await ctx.context.close();
});

// ---------------------- SECURITY.md: Single-use code burnt by retries (a used code is never resent)

test('reload, back and forward after a successful exchange never resend the code', async () => {
  const ctx = await openPage();
  const { page } = ctx;
  site.standin.reset(scenario('default'));
  await openStart(page, site.page);
  await authorize(page, site);
  await approve(page);
  await exchange(page);
  await page.locator('#view-result h1').waitFor();
  const posts = () => calls(site, 'default', 'access_token').length;
  assert.equal(posts(), 1);
  await page.reload();
  await page.locator('#view-start h1').waitFor();
  assert.equal(posts(), 1, 'reload');
  // Back to the portal, forward to the page, twice.
  const move = async (steps) => {
    for (const step of steps) {
      await (step < 0 ? page.goBack() : page.goForward());
    }
  };
  await move([-1]);
  assert.match(page.url(), /\/portal\/auth/);
  await move([1]);
  await page.locator('#view-start h1').waitFor();
  assert.equal(page.url(), site.page);
  await move([-1, 1]);
  await page.locator('#view-start h1').waitFor();
  await page.reload();
  await page.locator('#view-start h1').waitFor();
  await page.waitForTimeout(300);
  assert.equal(posts(), 1, 'back and forward');
  await assertNoLeak(ctx, 'after reload and history moves');
  await ctx.context.close();
});

test('reload after a failed exchange does not resend the code either', async () => {
  const ctx = await openPage();
  const { page } = ctx;
  const name = scenario('resend-failed');
  await tryExchange(ctx, name, 'http-502');
  await heading(page).filter({ hasText: 'TikTok’s server answered with an error' }).waitFor();
  await page.reload();
  await page.locator('#view-start h1').waitFor();
  await page.goBack().catch(() => {});
  await page.waitForTimeout(300);
  assert.equal(calls(site, name, 'access_token').length, 1);
  await ctx.context.close();
});

// -------------------------------------- faults: a clear message, and nothing the user typed is lost

test('TikTok answering slowly: the button says so, a second click sends nothing, the token arrives', async () => {
  const ctx = await openPage();
  const { page } = ctx;
  const name = scenario('slow');
  await tryExchange(ctx, name, 'slow-1500');
  assert.equal(await page.textContent('#exchange'), 'Exchanging…');
  assert.ok(await page.isDisabled('#exchange'));
  await page.locator('#status', { hasText: 'Exchanging the code with TikTok' }).waitFor();
  await page.locator('#secret').press('Enter');
  await page.locator('#view-result h1').waitFor({ timeout: 10_000 });
  assert.equal(calls(site, name, 'access_token').length, 1);
  await ctx.context.close();
});

test('offline: a network error with the curl fallback, and the same code works once back online', async () => {
  const ctx = await openPage();
  const { page, context } = ctx;
  const name = scenario('offline');
  const code = await arrive(page, site, { scenario: name });
  await useApiBase(page, site.apiBase(name, 'ok'));
  await context.setOffline(true);
  await exchange(page, SECRET);
  await heading(page).filter({ hasText: 'Your browser got no answer from TikTok' }).waitFor();
  assert.ok((await page.textContent('#curl')).includes(code));
  await assertNoLeak(ctx, 'offline', { code });
  await assertTypedKept(page);
  await context.setOffline(false);
  await page.click('#exchange');
  await page.locator('#view-result h1').waitFor();
  assert.equal(calls(site, name, 'access_token').length, 1);
  await ctx.context.close();
});

test('no sessionStorage and no localStorage at all: the flow still works and keeps the typed App ID', async () => {
  const ctx = await openPage();
  const { page } = ctx;
  await page.addInitScript(() => {
    for (const name of ['sessionStorage', 'localStorage']) {
      Object.defineProperty(window, name, { get() { throw new DOMException('blocked', 'SecurityError'); } });
    }
  });
  await openStart(page, site.page);
  await page.fill('#app-id', APP_ID);
  await authorize(page, site);
  await approve(page);
  assert.match(await page.textContent('#state-verdict'), /did not start this authorization/);
  assert.equal(await page.inputValue('#app-id'), APP_ID);
  await exchange(page);
  await page.locator('#view-result h1').waitFor();
  assert.deepEqual(ctx.errors, []);
  await ctx.context.close();
});

test('storage that is full (setItem throws): the flow still works', async () => {
  const ctx = await openPage();
  const { page } = ctx;
  await page.addInitScript(() => {
    Storage.prototype.setItem = () => { throw new DOMException('full', 'QuotaExceededError'); };
  });
  await openStart(page, site.page);
  await authorize(page, site);
  await approve(page);
  await exchange(page);
  await page.locator('#view-result h1').waitFor();
  assert.deepEqual(ctx.errors, []);
  await ctx.context.close();
});

for (const [label, answer] of [
  ['is corrupt', (route) => route.fulfill({ status: 200, contentType: 'application/wasm', body: Buffer.from('\0asm\x01\0\0\0garbage') })],
  ['is an HTML error page', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<html>Not here</html>' })],
  ['never arrives', (route) => route.abort('connectionreset')],
]) {
  test(`when the WebAssembly ${label}, the page says so and the code stays for a reload`, async () => {
    const ctx = await openPage();
    const { page } = ctx;
    await page.route('**/pkg/tiktok_ads_auth_bg.wasm', answer);
    const name = scenario(`nowasm${label.length}`);
    const code = site.standin.issueCode({ appId: APP_ID, scenario: name });
    await page.goto(`${site.page}?auth_code=${code}&state=s`);
    await heading(page).filter({ hasText: 'The page could not load its WebAssembly module' }).waitFor();
    assert.match(await page.textContent('#fatal-text'), /Reload the page/);
    assert.ok(page.url().includes(code), 'a reload can still pick the code up');
    assert.equal(await page.locator('input:visible').count(), 0);
    // The reload the message suggests works once the file is there again.
    await page.unroute('**/pkg/tiktok_ads_auth_bg.wasm');
    await page.reload();
    await page.locator('#view-callback:not([aria-busy]) h1').waitFor();
    assert.equal(await page.textContent('#auth-code'), code);
    assert.equal(site.standin.records(name).length, 0);
    await ctx.context.close();
  });
}

test('WebAssembly served slowly or with the wrong MIME type still loads, from one download', async () => {
  const ctx = await openPage();
  const { page } = ctx;
  let downloads = 0;
  await page.route('**/pkg/tiktok_ads_auth_bg.wasm', async (route) => {
    downloads += 1;
    const response = await route.fetch();
    await new Promise((r) => setTimeout(r, 1500));
    await route.fulfill({ response, contentType: 'application/octet-stream' });
  });
  await page.goto(site.page);
  assert.ok(await page.isVisible('#loading'));
  await page.locator('#view-start h1').waitFor();
  assert.equal(downloads, 1, 'the failed streaming compile falls back to the same response');
  await ctx.context.close();
});
