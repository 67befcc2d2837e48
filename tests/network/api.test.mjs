// The network calls of the package (exchangeAuthCode, getAdvertisers, revokeToken) against the
// TikTok stand-in: the wasm's requests carried by npm/net.js, one request per call, and every
// answer read into its result or its TikTokAuthError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertAuthError, standin, usePackage } from '../soak/common.mjs';

usePackage({ standin: true });

const SECRET = 's3cr3t-\'"$(touch x)-value';
const APP_ID = '7123456789012345678';
const SECRETS = [SECRET, 'tok-'];

const scenario = (name) => `${name}-${Math.floor(Math.random() * 1e9)}`;
const base = (s, behaviour) => `${standin.url}/s/${s}/${behaviour}/open_api/v1.3`;
const issue = (s) => standin.issueCode({ appId: APP_ID, scenario: s });
const exchange = (authCode, apiBase, more = {}) => ({ appId: APP_ID, secret: SECRET, authCode, apiBase, ...more });
const tokenOptions = (accessToken, apiBase) => ({ accessToken, appId: APP_ID, secret: SECRET, apiBase });

/** The call's rejection, checked as a TikTokAuthError of `kind` that leaks no credential. */
async function rejected(promise, kind) {
  let error;
  await assert.rejects(promise, (e) => { error = e; return true; });
  assertAuthError(api, error, new Set([kind]), SECRETS, kind);
  return error;
}

test('exchange sends one exact request and reads the grant', async () => {
  const s = scenario('exchange-ok');
  const code = issue(s);
  const grant = await api.exchangeAuthCode(exchange(code, base(s, 'ok')));
  assert.ok(grant.accessToken.length > 0);
  assert.deepEqual(grant.advertiserIds, ['7000000000000000001', '7000000000000000002']);
  // The stand-in sends the 19-digit permission id as a bare JSON number.
  assert.deepEqual(grant.scope, ['4', '10', '100', '200', '210', '220', '30', '7043626160646815746']);
  assert.deepEqual(grant.warnings, []);
  assert.equal(typeof grant.requestId, 'string');
  const recs = standin.records(s);
  assert.equal(recs.length, 1, 'exactly one request');
  assert.equal(recs[0].method, 'POST');
  assert.match(recs[0].path, /\/open_api\/v1\.3\/oauth2\/access_token\/$/);
  assert.equal(recs[0].headers['content-type'], 'application/json');
  assert.deepEqual(JSON.parse(recs[0].body), { app_id: APP_ID, secret: SECRET, auth_code: code });
  assert.equal(recs[0].query.secret, undefined, 'the secret must not be in the URL');
  // No cookie and no referrer go with it.
  assert.equal(recs[0].headers.cookie, undefined);
  assert.equal(recs[0].headers.referer, undefined);
});

test('a used code is 40110 and nothing is retried', async () => {
  const s = scenario('reuse');
  const code = issue(s);
  await api.exchangeAuthCode(exchange(code, base(s, 'ok')));
  const e = await rejected(api.exchangeAuthCode(exchange(code, base(s, 'ok'))), 'api_error');
  assert.equal(e.code, 40110);
  assert.equal(typeof e.requestId, 'string');
  assert.match(e.hint, /fresh code/);
  assert.equal(standin.records(s).length, 2, 'one request per call');
});

test('odd scopes from the exchange still give the token, with warnings; the token works', async () => {
  for (const [behaviour, scope, warned] of [
    ['scope-strings', ['4', '10', '200', '7043626160646815746'], null],
    ['scope-all', [], '"all"'],
    ['scope-odd', ['4', '10', '7043626160646815746'], '9007199254740993.0'],
  ]) {
    const s = scenario(behaviour);
    const grant = await api.exchangeAuthCode(exchange(issue(s), base(s, behaviour)));
    assert.deepEqual(grant.scope, scope, behaviour);
    if (warned === null) assert.deepEqual(grant.warnings, [], behaviour);
    else assert.ok(grant.warnings.some((w) => w.includes(warned)), `${behaviour}: ${grant.warnings}`);
    if (behaviour === 'scope-odd') {
      // Both inexact ids are named, and neither was rounded into the list.
      assert.equal(grant.warnings.length, 2);
      assert.match(grant.warnings[1], /7e3/);
    }
    const list = await api.getAdvertisers(tokenOptions(grant.accessToken, base(s, behaviour)));
    assert.equal(list.length, 2, `${behaviour}: the token works`);
  }
});

test('a revoke answer without ids resolves to an empty list, and the token is revoked', async () => {
  const s = scenario('revoke-bare');
  const grant = await api.exchangeAuthCode(exchange(issue(s), base(s, 'revoke-bare')));
  const options = tokenOptions(grant.accessToken, base(s, 'revoke-bare'));
  const revoked = await api.revokeToken(options);
  assert.ok(Array.isArray(revoked));
  assert.deepEqual(revoked, []);
  const e = await rejected(api.revokeToken(options), 'api_error');
  assert.equal(e.code, 40105);
});

test('every known code is an api_error with its hint', async () => {
  const s = scenario('codes');
  // What each hint must say (docs/tiktok.md, "Error codes").
  for (const [code, phrase] of [
    [40115, 'Advertiser authorization URL'], [40113, 'wrong secret or App ID'], [40101, 'stale'],
    [40000, 'App ID and Secret'], [40001, 'No permission'], [40002, 'App ID and Secret'],
    [40107, 'long-term'], [50000, 'whether the auth code was used'], [50002, 'whether the auth code was used'],
    [51000, 'whether the auth code was used'], [51305, 'if TikTok then answers 40110'], [60001, 'maintenance'],
    [40110, 'fresh code'], [40100, 'rate-limiting'], [40102, 'expired'], [40104, 'No access token'], [40105, 'revoked'],
  ]) {
    const e = await rejected(api.exchangeAuthCode(exchange('c', base(s, `code-${code}`))), 'api_error');
    assert.equal(e.code, code);
    assert.ok(e.hint.includes(phrase), `${code}: ${e.hint}`);
    if (code === 40115) assert.ok(!e.hint.includes('clock'));
  }
});

test('HTTP errors, bad bodies, silence and a refused connection have their kinds, one request each', async () => {
  const s = scenario('faults');
  const e = await rejected(api.exchangeAuthCode(exchange('c', base(s, 'http-502'))), 'http_status');
  assert.equal(e.status, 502);
  assert.ok(e.message.length < 300, 'body not kept short');
  for (const behaviour of ['nonjson', 'truncated', 'wrong-types']) {
    await rejected(api.exchangeAuthCode(exchange('c', base(s, behaviour))), 'invalid_response');
  }
  const t = await rejected(api.exchangeAuthCode(exchange('c', base(s, 'hang'), { timeoutMs: 300 })), 'timeout');
  assert.match(t.message, /300 ms/);
  await rejected(api.exchangeAuthCode(exchange('c', base(s, 'drop'))), 'network');
  // Nothing listens on port 9 of loopback: a refused connection.
  const n = await rejected(api.exchangeAuthCode(exchange('c', 'http://127.0.0.1:9/open_api/v1.3')), 'network');
  assert.match(n.message, /127\.0\.0\.1:9/);
  assert.match(n.hint, /curl/);
  assert.equal(standin.records(s).length, 6, 'one request per call, no retries');
});

test('numeric ids on the wire stay exact', async () => {
  const s = scenario('numeric');
  const grant = await api.exchangeAuthCode(exchange(issue(s), base(s, 'numeric-ids')));
  assert.equal(grant.advertiserIds[0], '7123456789012345678');
});

test('bad options reject (never throw) without sending', async () => {
  const s = scenario('noreq');
  const bad = [
    ...[0, 1.5, 600_001, NaN, '300'].map((timeoutMs) => exchange('c', base(s, 'ok'), { timeoutMs })),
    { appId: APP_ID, secret: '', authCode: 'c', apiBase: base(s, 'ok') },
    exchange('c', base(s, 'ok'), { fetch: 'not a function' }),
    exchange('c', base(s, 'ok'), { signal: 'not a signal' }),
    null,
    'options',
  ];
  for (const options of bad) {
    let promise;
    assert.doesNotThrow(() => { promise = api.exchangeAuthCode(options); });
    await rejected(promise, 'invalid_input');
  }
  await rejected(api.getAdvertisers(tokenOptions('', base(s, 'ok'))), 'invalid_input');
  assert.equal(standin.records(s).length, 0);
});

test('advertisers, then revoke, then the token is refused', async () => {
  const s = scenario('accounts');
  const grant = await api.exchangeAuthCode(exchange(issue(s), base(s, 'ok')));
  const options = tokenOptions(grant.accessToken, base(s, 'ok'));
  const list = await api.getAdvertisers(options);
  assert.equal(list.length, 2);
  assert.equal(list[0].advertiserId, '7000000000000000001');
  assert.ok(list[0].advertiserName.length > 0);
  assert.deepEqual(await api.revokeToken(options), ['7000000000000000001', '7000000000000000002']);
  const e = await rejected(api.getAdvertisers(options), 'api_error');
  assert.equal(e.code, 40105);
  const recs = standin.records(s);
  assert.equal(recs.length, 4);
  assert.equal(recs[1].method, 'GET');
  assert.match(recs[1].path, /\/oauth2\/advertiser\/get\/$/);
  assert.equal(recs[1].headers['access-token'], grant.accessToken);
  assert.equal(recs[2].method, 'POST');
  assert.match(recs[2].path, /\/oauth2\/revoke_token\/$/);
});

test('TikTok\'s sandbox is refused before any oauth2 request', async () => {
  const sandbox = 'https://sandbox-ads.tiktok.com/open_api/v1.3';
  const sent = [];
  const fetch = (...args) => { sent.push(args); return new Response('{}'); };
  for (const call of [
    api.exchangeAuthCode(exchange('c', sandbox, { fetch })),
    api.getAdvertisers({ ...tokenOptions('t0ken', sandbox), fetch }),
    api.revokeToken({ ...tokenOptions('t0ken', sandbox), fetch }),
  ]) {
    const e = await rejected(call, 'invalid_input');
    assert.match(e.message, /^`apiBase` is TikTok's sandbox/);
    assert.match(e.hint, /sandbox page in the TikTok developer portal/);
  }
  assert.deepEqual(sent, []);
});

test('redirects are never followed: the secret and the token go nowhere else, and the code stays unused', async () => {
  for (const status of [307, 308]) {
    const s = scenario('redirect');
    const code = issue(s);
    const apiBase = base(s, `redirect-${status}`);
    const e = await rejected(api.exchangeAuthCode(exchange(code, apiBase)), 'network');
    assert.match(e.message, /127\.0\.0\.1/);
    await rejected(api.getAdvertisers(tokenOptions('tok-redirected', apiBase)), 'network');
    // Only the two redirecting answers were asked; nothing arrived at the Location.
    assert.deepEqual(standin.records(s).map((r) => r.behaviour), [`redirect-${status}`, `redirect-${status}`]);
    await api.exchangeAuthCode(exchange(code, base(s, 'ok')));
  }
});

test('no echo of a credential is quoted in any encoding', async () => {
  const s = scenario('echo');
  const secret = '0123456789abcdef0123456789abcdef01234567';
  const token = 'feedfacefeedfacefeedfacefeedfacefeedface';
  const code = 'c0dec0dec0dec0dec0dec0dec0dec0dec0dec0de';
  const longestOpaqueRun = (text) => Math.max(...text.split(/[^A-Za-z0-9+/=%_\\-]/).map((r) => r.length));
  const e1 = await rejected(api.exchangeAuthCode({ appId: APP_ID, secret, authCode: code, apiBase: base(s, 'echo') }), 'api_error');
  assert.match(e1.message, /^TikTok refused the request \(code 40101\): You sent /);
  const e2 = await rejected(api.getAdvertisers({ appId: APP_ID, secret, accessToken: token, apiBase: base(s, 'echo-text') }), 'http_status');
  assert.match(e2.message, /^The server answered HTTP 500: You sent /);
  const e3 = await rejected(api.revokeToken({ appId: APP_ID, secret, accessToken: token, apiBase: base(s, 'echo') }), 'api_error');
  for (const e of [e1, e2, e3]) {
    const shown = `${e.message} ${e.requestId} ${e.hint}`;
    assert.ok(longestOpaqueRun(shown) < 20, `an encoded credential may be quoted: ${shown}`);
    assert.ok(!shown.toLowerCase().includes('c0dec0de'), shown);
  }
  assert.equal(standin.records(s).length, 3);
});

test('options inherited from a polluted Object.prototype are never read: no secret taken, none sent elsewhere', async () => {
  const s = scenario('pollution');
  const code = issue(s);
  const polluted = { apiBase: base(s, 'code-40101'), secret: 'polluted-secret', fetch: () => { throw new Error('inherited fetch'); } };
  for (const [k, v] of Object.entries(polluted)) Object.prototype[k] = v;
  try {
    // An inherited secret is not sent: the call is refused before any request.
    await rejected(api.exchangeAuthCode({ appId: APP_ID, authCode: code, apiBase: base(s, 'ok') }), 'invalid_input');
    // With its own options, the request goes where they say, with the global fetch.
    const grant = await api.exchangeAuthCode(exchange(code, base(s, 'ok')));
    assert.ok(grant.accessToken.length > 0);
  } finally {
    for (const k of Object.keys(polluted)) delete Object.prototype[k];
  }
  const recs = standin.records(s);
  assert.equal(recs.length, 1, 'one request, the good one');
  assert.equal(recs[0].behaviour, 'ok');
});

test('appId is read once: a getter that changes its answer cannot pass one value\'s check and send another', async () => {
  for (const call of ['exchangeAuthCode', 'tokenRequestCurl']) {
    let reads = 0;
    const answers = [APP_ID, 7123456789];
    const s = scenario('appid-once');
    const options = exchange(issue(s), base(s, 'ok'));
    Object.defineProperty(options, 'appId', { get: () => answers[Math.min(reads++, 1)], enumerable: true });
    const result = await api[call](options);
    assert.equal(reads, 1, `${call}: the appId getter ran ${reads} times`);
    if (call === 'exchangeAuthCode') assert.equal(typeof result.accessToken, 'string');
    else assert.match(result, /app_id.*7123456789012345678/s);
  }
});
