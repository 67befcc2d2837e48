// Self-test of the TikTok stand-in: node --test tests/standin/
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStandin } from './server.mjs';

const SERVER = fileURLToPath(new URL('./server.mjs', import.meta.url));
const APP_ID = '7123456789012345678';
const ORIGIN = 'http://127.0.0.1:5555';

let standin;
let site; // temp dir: site/www is served, site/secret.txt must stay unreachable

before(async () => {
  site = await mkdtemp(path.join(tmpdir(), 'standin-test-'));
  const www = path.join(site, 'www');
  await mkdir(path.join(www, 'sub'), { recursive: true });
  const files = {
    'index.html': '<!doctype html><title>page</title>',
    'app.js': 'export {};',
    'lib.mjs': 'export {};',
    'style.css': 'body{}',
    'pkg.wasm': '\0asm',
    'data.json': '{}',
    'logo.svg': '<svg/>',
    'logo.png': 'png',
    'favicon.ico': 'ico',
    'notes.txt': 'hi',
    'sub/index.html': '<!doctype html><title>sub</title>',
  };
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(www, name), text);
  await writeFile(path.join(site, 'secret.txt'), 'TOP SECRET');
  standin = await startStandin({ port: 0, staticDir: www, staticMount: '/tools/tiktok/' });
});

after(async () => {
  await standin.close();
  await rm(site, { recursive: true, force: true });
});

// ------------------------------------------------------------------------------ helpers

const apiBase = (scenario, behaviour = 'ok') => `${standin.url}/s/${scenario}/${behaviour}/open_api/v1.3`;
const authBase = (scenario) => `${standin.url}/s/${scenario}/ok`;

function postJson(url, body, headers = {}) {
  return fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

async function exchange(base, fields) {
  const res = await postJson(`${base}/oauth2/access_token/`, { app_id: APP_ID, secret: 's', ...fields });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
  return res.json();
}

function assertEnvelope(body, code) {
  assert.deepEqual(Object.keys(body).sort(), ['code', 'data', 'message', 'request_id']);
  assert.equal(body.code, code, body.message);
  assert.equal(typeof body.message, 'string');
  assert.match(body.request_id, /^\d{14}[0-9A-F]{18}$/);
}

/** GET with the request target sent byte for byte (fetch would normalize "..", "%2e" etc.). */
function rawGet(baseUrl, target) {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, path: target, method: 'GET' }, (res) => {
      res.resume();
      res.on('end', () => resolve(res));
    });
    req.on('error', reject);
    req.end();
  });
}

function portalUrl(scenario, params) {
  return `${authBase(scenario)}/portal/auth?${new URLSearchParams(params)}`;
}

/** Runs a node child and resolves with its exit code, or rejects if it outlives `ms`. */
function exitsWithin(child, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`process did not exit within ${ms} ms`));
    }, ms);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve(code ?? signal);
    });
  });
}

// ------------------------------------------------------------------------------ portal

describe('portal', () => {
  test('consent page shows the app, escapes values and posts back under the same base', async () => {
    const redirect = 'https://me.example/cb?x="><script>alert(1)</script>';
    const res = await fetch(portalUrl('portal1', { app_id: APP_ID, state: 'st<1>', redirect_uri: redirect }));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
    const html = await res.text();
    assert.match(html, /<title>TikTok stand-in — authorize app<\/title>/);
    assert.match(html, /<button id="approve"[^>]*>Authorize<\/button>/);
    assert.match(html, /<button id="deny"[^>]*>Deny<\/button>/);
    assert.ok(html.includes(APP_ID));
    assert.ok(!html.includes('<script>'), 'redirect_uri was not escaped');
    assert.ok(html.includes('st&#60;1&#62;'));
    assert.ok(html.includes('action="/s/portal1/ok/portal/auth/decide"'));
    assert.ok(!/(src|href)="https?:/.test(html), 'the page must not load external resources');
  });

  test('rejects a non-digit app_id and a non-http redirect_uri with a 400 page', async () => {
    for (const params of [
      { app_id: '12a', redirect_uri: 'https://me.example/' },
      { app_id: APP_ID, redirect_uri: 'javascript:alert(1)' },
      { app_id: APP_ID, redirect_uri: '/relative' },
      { app_id: APP_ID },
    ]) {
      const res = await fetch(portalUrl('portal2', params));
      assert.equal(res.status, 400, JSON.stringify(params));
      assert.match(await res.text(), /Cannot authorize/);
    }
  });

  test('approve redirects with auth_code, code and state, keeping query and fragment', async () => {
    const decide = `${authBase('portal3')}/portal/auth/decide?${new URLSearchParams({
      app_id: APP_ID,
      state: 'a b&c',
      redirect_uri: 'https://me.example/cb?keep=1%202#frag',
      decision: 'approve',
    })}`;
    const res = await fetch(decide, { redirect: 'manual' });
    assert.equal(res.status, 302);
    const location = res.headers.get('location');
    assert.match(location, /^https:\/\/me\.example\/cb\?keep=1%202&auth_code=[0-9a-f]{40}&code=[0-9a-f]{40}&state=a%20b%26c#frag$/);
    const url = new URL(location);
    assert.equal(url.searchParams.get('auth_code'), url.searchParams.get('code'));
    assert.equal(url.searchParams.get('state'), 'a b&c');
    const grant = await exchange(apiBase('portal3'), { auth_code: url.searchParams.get('auth_code') });
    assertEnvelope(grant, 0);
  });

  test('deny redirects with error=access_denied and the state', async () => {
    const res = await fetch(
      `${authBase('portal4')}/portal/auth/decide?${new URLSearchParams({
        app_id: APP_ID,
        state: 'xyz',
        redirect_uri: 'http://127.0.0.1:8080/',
        decision: 'deny',
      })}`,
      { redirect: 'manual' },
    );
    assert.equal(res.status, 302);
    const url = new URL(res.headers.get('location'));
    assert.equal(url.origin + url.pathname, 'http://127.0.0.1:8080/');
    assert.equal(url.searchParams.get('error'), 'access_denied');
    assert.equal(url.searchParams.get('error_description'), 'The user denied the authorization request.');
    assert.equal(url.searchParams.get('state'), 'xyz');
    assert.equal(url.searchParams.get('auth_code'), null);
  });

  test('autoapprove=1 skips the page; an unknown decision is a 400', async () => {
    const params = { app_id: APP_ID, state: 's1', redirect_uri: 'http://localhost:8080/cb' };
    const res = await fetch(portalUrl('portal5', { ...params, autoapprove: '1' }), { redirect: 'manual' });
    assert.equal(res.status, 302);
    assert.match(res.headers.get('location'), /^http:\/\/localhost:8080\/cb\?auth_code=[0-9a-f]{40}&code=/);
    const bad = await fetch(`${authBase('portal5')}/portal/auth/decide?${new URLSearchParams({ ...params, decision: 'maybe' })}`);
    assert.equal(bad.status, 400);
  });

  test('works at the root base too, as scenario "default"', async () => {
    const res = await fetch(
      `${standin.url}/portal/auth?${new URLSearchParams({ app_id: '1', redirect_uri: 'http://a.test/', autoapprove: '1' })}`,
      { redirect: 'manual' },
    );
    const code = new URL(res.headers.get('location')).searchParams.get('auth_code');
    const grant = await exchange(`${standin.url}/open_api/v1.3`, { app_id: '1', auth_code: code });
    assertEnvelope(grant, 0);
  });
});

// ------------------------------------------------------------------------------ TikTok-like API

describe('ok behaviour', () => {
  test('exchange succeeds once; the second exchange of the same code is 40110', async () => {
    const code = standin.issueCode({ appId: APP_ID, scenario: 'ex1' });
    const grant = await exchange(apiBase('ex1'), { auth_code: code });
    assertEnvelope(grant, 0);
    assert.equal(grant.message, 'OK');
    assert.match(grant.data.access_token, /^[0-9a-f]{40}$/);
    assert.deepEqual(grant.data.advertiser_ids, ['7000000000000000001', '7000000000000000002']);
    // A realistic scope list, with a 19-digit permission id on the wire as a bare JSON number.
    assert.equal(grant.data.scope.length, 8);
    const res = await postJson(`${apiBase('ex1b')}/oauth2/access_token/`, {
      app_id: APP_ID, secret: 's', auth_code: standin.issueCode({ appId: APP_ID, scenario: 'ex1b' }),
    });
    assert.match(await res.text(), /"scope":\[4,10,100,200,210,220,30,7043626160646815746\]/);
    const again = await exchange(apiBase('ex1'), { auth_code: code });
    assertEnvelope(again, 40110);
    assert.deepEqual(again.data, {});
  });

  test('unknown and expired codes are 40110; codes are per scenario', async () => {
    assertEnvelope(await exchange(apiBase('ex2'), { auth_code: 'nope' }), 40110);
    const old = standin.issueCode({ appId: APP_ID, scenario: 'ex2', ageMs: 60 * 60 * 1000 + 1 });
    assertEnvelope(await exchange(apiBase('ex2'), { auth_code: old }), 40110);
    const elsewhere = standin.issueCode({ appId: APP_ID, scenario: 'ex2-other' });
    assertEnvelope(await exchange(apiBase('ex2'), { auth_code: elsewhere }), 40110);
  });

  test('an app_id other than the code’s is 40101 and does not use the code up', async () => {
    const code = standin.issueCode({ appId: APP_ID, scenario: 'ex3' });
    assertEnvelope(await exchange(apiBase('ex3'), { auth_code: code, app_id: '1' }), 40101);
    assertEnvelope(await exchange(apiBase('ex3'), { auth_code: code }), 0);
  });

  test('the trailing slash is required, and the method must match', async () => {
    const code = standin.issueCode({ appId: APP_ID, scenario: 'ex4' });
    const res = await postJson(`${apiBase('ex4')}/oauth2/access_token`, { app_id: APP_ID, secret: 's', auth_code: code });
    assert.equal(res.status, 404);
    assert.equal((await fetch(`${apiBase('ex4')}/oauth2/access_token/`)).status, 405);
    assert.equal((await fetch(`${apiBase('ex4')}/oauth2/advertiser/get`)).status, 404);
    assertEnvelope(await exchange(apiBase('ex4'), { auth_code: code }), 0);
  });

  test('malformed requests are 40002 naming the problem', async () => {
    const url = `${apiBase('ex5')}/oauth2/access_token/`;
    const cases = [
      [await fetch(url, { method: 'POST', body: '{}', headers: { 'Content-Type': 'text/plain' } }), /Content-Type must be application\/json/],
      [await postJson(url, '{"app_id":'), /not valid JSON/],
      [await postJson(url, '[1]'), /JSON object/],
      [await postJson(url, { secret: 's', auth_code: 'c' }), /^app_id: /],
      [await postJson(url, { app_id: 7123, secret: 's', auth_code: 'c' }), /^app_id: Not a valid string/],
      [await postJson(url, { app_id: APP_ID, secret: 's' }), /^auth_code: /],
      [await postJson(url, { app_id: APP_ID, secret: '', auth_code: 'c' }), /^secret: /],
    ];
    for (const [res, message] of cases) {
      const body = await res.json();
      assertEnvelope(body, 40002);
      assert.match(body.message, message);
    }
    const charset = await postJson(url, { app_id: APP_ID, secret: 's', auth_code: 'c' }, { 'Content-Type': 'application/json; charset=utf-8' });
    assert.equal((await charset.json()).code, 40110, 'a charset parameter is fine');
  });

  test('advertiser/get checks the token header and the app; revoke kills the token', async () => {
    const base = apiBase('acc1');
    const token = (await exchange(base, { auth_code: standin.issueCode({ appId: APP_ID, scenario: 'acc1' }) })).data.access_token;
    const advertisers = (headers, appId = APP_ID) =>
      fetch(`${base}/oauth2/advertiser/get/?${new URLSearchParams({ app_id: appId, secret: 's' })}`, { headers }).then((r) => r.json());
    assertEnvelope(await advertisers({}), 40104);
    assertEnvelope(await advertisers({ 'Access-Token': 'bogus' }), 40105);
    assertEnvelope(await advertisers({ 'Access-Token': token }, '42'), 40101);
    const ok = await advertisers({ 'Access-Token': token });
    assertEnvelope(ok, 0);
    assert.deepEqual(ok.data.list, [
      { advertiser_id: '7000000000000000001', advertiser_name: 'Demo Shop EU' },
      { advertiser_id: '7000000000000000002', advertiser_name: 'Demo Shop US' },
    ]);
    const missing = await fetch(`${base}/oauth2/advertiser/get/?app_id=${APP_ID}`, { headers: { 'Access-Token': token } });
    assert.match((await missing.json()).message, /^secret: /);

    const revoke = (accessToken) =>
      postJson(`${base}/oauth2/revoke_token/`, { app_id: APP_ID, secret: 's', access_token: accessToken }).then((r) => r.json());
    assertEnvelope(await revoke('bogus'), 40105);
    const revoked = await revoke(token);
    assertEnvelope(revoked, 0);
    assert.deepEqual(revoked.data.advertiser_ids, ['7000000000000000001', '7000000000000000002']);
    assertEnvelope(await advertisers({ 'Access-Token': token }), 40105);
    assertEnvelope(await revoke(token), 40105);
  });

  test('bodies over 1 MiB are refused with 413', async () => {
    const res = await postJson(`${apiBase('cap')}/oauth2/access_token/`, 'x'.repeat(1024 * 1024 + 1));
    assert.equal(res.status, 413);
    await res.arrayBuffer();
    const small = await postJson(`${apiBase('cap')}/oauth2/access_token/`, 'x'.repeat(1024 * 1024));
    assert.equal(small.status, 200);
    assert.equal((await small.json()).code, 40002);
  });
});

// ------------------------------------------------------------------------------ behaviours

describe('behaviours', () => {
  const endpoints = [
    ['POST', '/oauth2/access_token/'],
    ['GET', '/oauth2/advertiser/get/'],
    ['POST', '/oauth2/revoke_token/'],
  ];
  const call = (behaviour, [method, route], init = {}) =>
    fetch(`${apiBase('beh', behaviour)}${route}`, {
      method,
      ...(method === 'POST' ? { body: '{}', headers: { 'Content-Type': 'application/json' } } : {}),
      ...init,
    });

  test('code-N answers HTTP 200 with TikTok-like messages', async () => {
    const messages = {
      40110: /^The auth_code is canceled\. Please re-authorize and try again with a new auth_code\.$/,
      40101: /match/,
      40113: /blocked/,
      40100: /many requests/,
      40102: /expired/,
      40104: /empty/,
      40105: /revoked/,
      40115: /auth_code/,
      40000: /request/i,
      40001: /^No permission to perform the related operation\.$/,
      40002: /^Parameter error/,
      40118: /allowlist/,
      40119: /same company/,
      40124: /developer profile/,
      40125: /permission/,
      40130: /scope/,
      40133: /QPS limit/,
      41000: /banned country/,
      40107: /refresh/i,
      50000: /error/i,
      51000: /error/i,
      60001: /maintenance/,
      49999: /49999/,
    };
    for (const [code, message] of Object.entries(messages)) {
      for (const endpoint of endpoints) {
        const res = await call(`code-${code}`, endpoint);
        assert.equal(res.status, 200);
        const body = await res.json();
        assertEnvelope(body, Number(code));
        assert.match(body.message, message);
        assert.deepEqual(body.data, {});
      }
    }
  });

  test('http-NNN answers that status with a short HTML body; out of range is unknown', async () => {
    const res = await call('http-502', endpoints[0]);
    assert.equal(res.status, 502);
    assert.match(res.headers.get('content-type'), /^text\/html/);
    assert.equal(await res.text(), '<html><body><h1>502 Bad Gateway</h1></body></html>');
    assert.equal((await call('http-429', endpoints[1])).status, 429);
    for (const unknown of ['http-399', 'http-600', 'slow-30001', 'bogus', 'code-x']) {
      const r = await call(unknown, endpoints[0]);
      assert.equal(r.status, 404, unknown);
      assert.match((await r.json()).message, /Unknown stand-in behaviour/);
    }
  });

  test('nonjson is a login page; truncated is valid success JSON cut short', async () => {
    const page = await call('nonjson', endpoints[0]);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type'), /^text\/html/);
    assert.match(await page.text(), /<form[^>]*>[\s\S]*password/i);
    for (const endpoint of endpoints) {
      const res = await call('truncated', endpoint);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/json; charset=utf-8');
      const text = await res.text();
      assert.match(text, /^\{"code":0,"message":"OK"/);
      assert.throws(() => JSON.parse(text), SyntaxError);
    }
  });

  test('slow-MS waits, then behaves like ok', async () => {
    const code = standin.issueCode({ appId: APP_ID, scenario: 'beh' });
    const started = Date.now();
    const grant = await exchange(apiBase('beh', 'slow-150'), { auth_code: code });
    assert.ok(Date.now() - started >= 140, 'answered too early');
    assertEnvelope(grant, 0);
  });

  test('hang never answers; the client’s timeout ends it', async () => {
    const started = Date.now();
    await assert.rejects(call('hang', endpoints[0], { signal: AbortSignal.timeout(300) }), { name: 'TimeoutError' });
    assert.ok(Date.now() - started < 2000);
  });

  test('drop closes the connection without an answer, and is received exactly once', async () => {
    standin.reset('beh');
    // Every answer closes its connection, so no client ever resends the dropped request itself.
    assert.equal((await call('code-1', endpoints[0])).headers.get('connection'), 'close');
    await assert.rejects(call('drop', endpoints[0]), TypeError);
    assert.deepEqual(standin.records('beh').map((r) => r.behaviour), ['code-1', 'drop']);
  });

  test('numeric-ids writes 19-digit ids as raw JSON numbers on every endpoint', async () => {
    const expected = ['[7123456789012345678,7000000000000000002]', '"advertiser_id":7123456789012345678', '[7123456789012345678,7000000000000000002]'];
    for (const [i, endpoint] of endpoints.entries()) {
      const text = await (await call('numeric-ids', endpoint)).text();
      assert.ok(text.includes(expected[i]), text);
      assertEnvelope(JSON.parse(text), 0);
    }
  });

  test('html puts markup and script into message and request_id', async () => {
    const body = await (await call('html', endpoints[0])).json();
    assert.equal(body.code, 40105);
    assert.ok(body.message.includes('<img src=x onerror="window.__pwned=1">'));
    assert.ok(body.request_id.includes('<script>window.__pwned=1</script>'));
  });

  test('wrong-types answers code 0 with a numeric token and a string of ids', async () => {
    const body = await (await call('wrong-types', endpoints[0])).json();
    assert.equal(body.code, 0);
    assert.equal(typeof body.data.access_token, 'number');
    assert.equal(typeof body.data.advertiser_ids, 'string');
    assert.equal(typeof (await (await call('wrong-types', endpoints[2])).json()).data.advertiser_ids, 'string');
  });

  test('big answers 200 distinct advertiser ids', async () => {
    const grant = await (await call('big', endpoints[0])).json();
    assert.equal(grant.data.advertiser_ids.length, 200);
    assert.equal(new Set(grant.data.advertiser_ids).size, 200);
    assert.ok(grant.data.advertiser_ids.every((id) => /^\d{19}$/.test(id)));
    assert.equal((await (await call('big', endpoints[1])).json()).data.list.length, 200);
  });

  test('the portal ignores the behaviour', async () => {
    const res = await fetch(`${standin.url}/s/beh/http-500/portal/auth?app_id=1&redirect_uri=http%3A%2F%2Fa.test%2F`);
    assert.equal(res.status, 200);
  });
});

// ------------------------------------------------------------------------------ CORS

describe('CORS', () => {
  test('echoes the Origin on answers and preflights', async () => {
    const pre = await fetch(`${apiBase('cors')}/oauth2/access_token/`, {
      method: 'OPTIONS',
      headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), ORIGIN);
    assert.equal(pre.headers.get('vary'), 'Origin');
    assert.equal(pre.headers.get('access-control-allow-methods'), 'GET, POST, OPTIONS');
    assert.equal(pre.headers.get('access-control-allow-headers'), 'Content-Type, Access-Token');
    assert.equal(pre.headers.get('access-control-max-age'), '0');
    for (const behaviour of ['ok', 'http-502', 'code-40110']) {
      const res = await postJson(`${apiBase('cors', behaviour)}/oauth2/access_token/`, {}, { Origin: ORIGIN });
      assert.equal(res.headers.get('access-control-allow-origin'), ORIGIN, behaviour);
    }
    const noOrigin = await postJson(`${apiBase('cors')}/oauth2/access_token/`, {});
    assert.equal(noOrigin.headers.get('access-control-allow-origin'), '*');
  });

  test('nocors works like ok but sends no Access-Control-* header at all', async () => {
    const base = apiBase('cors2', 'nocors');
    const pre = await fetch(`${base}/oauth2/access_token/`, { method: 'OPTIONS', headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'POST' } });
    const code = standin.issueCode({ appId: APP_ID, scenario: 'cors2' });
    const res = await postJson(`${base}/oauth2/access_token/`, { app_id: APP_ID, secret: 's', auth_code: code }, { Origin: ORIGIN });
    assert.equal(pre.status, 204);
    assertEnvelope(await res.json(), 0);
    for (const r of [pre, res]) {
      assert.deepEqual([...r.headers.keys()].filter((h) => h.startsWith('access-control-')), []);
    }
  });
});

// ------------------------------------------------------------------------------ recording & control

describe('recording and control endpoints', () => {
  test('records method, path, query, headers, raw body, behaviour and time per scenario', async () => {
    const before = Date.now();
    await fetch(`${apiBase('rec1')}/oauth2/access_token/`, { method: 'OPTIONS', headers: { Origin: ORIGIN } });
    await postJson(`${apiBase('rec1', 'code-40100')}/oauth2/access_token/?x=1&x=2&y=3`, '{"app_id":"1"}', { 'X-Extra': 'v' });
    await fetch(`${apiBase('rec1')}/oauth2/advertiser/get/?app_id=1&secret=shh`, { headers: { 'Access-Token': 'tok' } });
    await fetch(`${authBase('rec1')}/nowhere?q=1`);
    await fetch(`${standin.url}/__standin/health`);
    const records = standin.records('rec1');
    assert.deepEqual(records.map((r) => [r.method, r.path, r.behaviour]), [
      ['OPTIONS', '/s/rec1/ok/open_api/v1.3/oauth2/access_token/', 'ok'],
      ['POST', '/s/rec1/code-40100/open_api/v1.3/oauth2/access_token/', 'code-40100'],
      ['GET', '/s/rec1/ok/open_api/v1.3/oauth2/advertiser/get/', 'ok'],
      ['GET', '/s/rec1/ok/nowhere', 'ok'],
    ]);
    const [, post, get] = records;
    assert.deepEqual(post.query, { x: ['1', '2'], y: '3' });
    assert.equal(post.body, '{"app_id":"1"}');
    assert.equal(post.headers['content-type'], 'application/json');
    assert.equal(post.headers['x-extra'], 'v');
    assert.ok(post.at >= before && post.at <= Date.now());
    assert.deepEqual(get.query, { app_id: '1', secret: 'shh' });
    assert.equal(get.headers['access-token'], 'tok');
    assert.equal(get.body, '');
  });

  test('root requests are recorded under "default"; control endpoints are not recorded', async () => {
    standin.reset('default');
    await fetch(`${standin.url}/open_api/v1.3/oauth2/revoke_token/`, { method: 'POST', body: '{}' });
    await fetch(`${standin.url}/s/bad.name/ok/x`);
    await fetch(`${standin.url}/__standin/requests`);
    assert.deepEqual(standin.records().map((r) => [r.path, r.behaviour]), [
      ['/open_api/v1.3/oauth2/revoke_token/', 'ok'],
      ['/s/bad.name/ok/x', 'ok'],
    ]);
  });

  test('/__standin endpoints: health, issue, requests, reset — with CORS *', async () => {
    const health = await fetch(`${standin.url}/__standin/health`, { headers: { Origin: ORIGIN } });
    assert.deepEqual(await health.json(), { ok: true });
    assert.equal(health.headers.get('access-control-allow-origin'), '*');

    const issued = await fetch(`${standin.url}/__standin/issue?scenario=ctl&app_id=${APP_ID}`, { method: 'POST' });
    const { auth_code: code } = await issued.json();
    assert.match(code, /^[0-9a-f]{40}$/);
    assertEnvelope(await exchange(apiBase('ctl'), { auth_code: code }), 0);
    assert.equal((await fetch(`${standin.url}/__standin/issue?scenario=ctl&app_id=abc`, { method: 'POST' })).status, 400);
    assert.equal((await fetch(`${standin.url}/__standin/issue?scenario=ctl&app_id=1`)).status, 405);

    const listed = await (await fetch(`${standin.url}/__standin/requests?scenario=ctl`)).json();
    assert.equal(listed.length, 1);
    assert.equal(listed[0].path, '/s/ctl/ok/open_api/v1.3/oauth2/access_token/');
    assert.deepEqual(await (await fetch(`${standin.url}/__standin/requests?scenario=never-used`)).json(), []);

    await fetch(`${apiBase('ctl2')}/oauth2/access_token/`);
    assert.deepEqual(await (await fetch(`${standin.url}/__standin/reset?scenario=ctl`, { method: 'POST' })).json(), { ok: true });
    assert.equal(standin.records('ctl').length, 0);
    assert.equal(standin.records('ctl2').length, 1, 'other scenarios are kept');
    assertEnvelope(await exchange(apiBase('ctl'), { auth_code: standin.issueCode({ appId: APP_ID, scenario: 'ctl' }) }), 0);

    assert.equal((await fetch(`${standin.url}/__standin/nope`)).status, 404);
    assert.equal((await fetch(`${standin.url}/__standin/requests?scenario=a/b`)).status, 400);
  });

  test('reset() of one scenario forgets its codes; reset() with no argument forgets everything', async () => {
    const code = standin.issueCode({ appId: APP_ID, scenario: 'rst' });
    await fetch(`${apiBase('rst2')}/x`);
    standin.reset('rst');
    assertEnvelope(await exchange(apiBase('rst'), { auth_code: code }), 40110);
    assert.equal(standin.records('rst2').length, 1);
    assert.throws(() => standin.issueCode({ appId: 'abc' }), TypeError);
  });
});

// ------------------------------------------------------------------------------ static listener

describe('static listener', () => {
  test('serves files under the mount with MIME types, no-store and no CORS', async () => {
    assert.equal(standin.staticUrl, `${standin.url.replace(/:\d+$/, '')}:${new URL(standin.staticUrl).port}/tools/tiktok/`);
    const types = {
      '': 'text/html; charset=utf-8',
      'index.html': 'text/html; charset=utf-8',
      'app.js': 'text/javascript; charset=utf-8',
      'lib.mjs': 'text/javascript; charset=utf-8',
      'style.css': 'text/css; charset=utf-8',
      'pkg.wasm': 'application/wasm',
      'data.json': 'application/json; charset=utf-8',
      'logo.svg': 'image/svg+xml',
      'logo.png': 'image/png',
      'favicon.ico': 'image/x-icon',
      'notes.txt': 'text/plain; charset=utf-8',
      'sub/': 'text/html; charset=utf-8',
    };
    for (const [file, type] of Object.entries(types)) {
      const res = await fetch(standin.staticUrl + file, { headers: { Origin: ORIGIN } });
      assert.equal(res.status, 200, file);
      assert.equal(res.headers.get('content-type'), type, file);
      assert.equal(res.headers.get('cache-control'), 'no-store');
      assert.equal(res.headers.get('access-control-allow-origin'), null);
      await res.arrayBuffer();
    }
    assert.equal(await (await fetch(`${standin.staticUrl}sub/`)).text(), '<!doctype html><title>sub</title>');
  });

  test('redirects the bare mount and directories to their slash form, keeping the query', async () => {
    const origin = new URL(standin.staticUrl).origin;
    const bare = await fetch(`${origin}/tools/tiktok?auth_code=abc&state=s`, { redirect: 'manual' });
    assert.equal(bare.status, 301);
    assert.equal(bare.headers.get('location'), '/tools/tiktok/?auth_code=abc&state=s');
    const dir = await fetch(`${standin.staticUrl}sub`, { redirect: 'manual' });
    assert.equal(dir.headers.get('location'), '/tools/tiktok/sub/');
  });

  test('404 outside the mount, for missing files and for every traversal attempt', async () => {
    const origin = new URL(standin.staticUrl).origin;
    for (const target of [
      '/',
      '/index.html',
      '/tools/tiktok/missing.js',
      '/tools/tiktok/../secret.txt',
      '/tools/tiktok/../../secret.txt',
      '/tools/tiktok/%2e%2e/secret.txt',
      '/tools/tiktok/%2E%2E%2Fsecret.txt',
      '/tools/tiktok/..%2fsecret.txt',
      '/tools/tiktok/..%5csecret.txt',
      '/tools/tiktok/index.html%00.txt',
      '/tools/tiktok/%E0%A4%A',
    ]) {
      const res = await rawGet(origin, target);
      assert.equal(res.statusCode, 404, target);
    }
    assert.equal((await fetch(standin.staticUrl, { method: 'POST' })).status, 405);
  });
});

// ------------------------------------------------------------------------------ lifecycle & CLI

describe('lifecycle', () => {
  test('refuses to bind anything but loopback', async () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'example.com', '127.0.0.256']) {
      await assert.rejects(startStandin({ host, port: 0 }), /loopback/, host);
    }
    const local = await startStandin({ host: 'localhost', port: 0 });
    assert.match(local.url, /^http:\/\/localhost:\d+$/);
    await local.close();
  });

  test('close() ends hanging and slow requests and lets the process exit', async () => {
    const script = `
      import { startStandin } from ${JSON.stringify(new URL('./server.mjs', import.meta.url).href)};
      const s = await startStandin({ port: 0, staticDir: ${JSON.stringify(site)}, staticPort: 0 });
      const outcomes = ['hang', 'slow-20000'].map((b) =>
        fetch(s.url + '/s/c/' + b + '/open_api/v1.3/oauth2/access_token/', { method: 'POST', body: '{}' })
          .then(() => 'answered', () => 'failed'));
      while (s.records('c').length < 2) await new Promise((r) => setTimeout(r, 5));
      await s.close();
      console.log(JSON.stringify(await Promise.all(outcomes)));
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    assert.equal(await exitsWithin(child, 3000), 0);
    assert.deepEqual(JSON.parse(out), ['failed', 'failed']);
  });

  test('CLI prints the JSON line first, logs no query strings and exits on SIGTERM', async () => {
    const child = spawn(process.execPath, [SERVER, '--port', '0', '--static', path.join(site, 'www'), '--static-mount=/sub/'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = exitsWithin(child, 4000);
    let out = '';
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    await new Promise((resolve) => {
      child.stdout.on('data', (d) => {
        out += d;
        if (out.split('\n').length > 2) resolve();
      });
    });
    const [first, human] = out.split('\n');
    const ready = JSON.parse(first);
    assert.deepEqual(Object.keys(ready), ['standin', 'static']);
    assert.match(ready.standin, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(ready.static, /^http:\/\/127\.0\.0\.1:\d+\/sub\/$/);
    assert.match(human, /Ctrl-C/);

    await fetch(`${ready.standin}/open_api/v1.3/oauth2/advertiser/get/?app_id=1&secret=VERY-SECRET`, { headers: { 'Access-Token': 'TOKEN-XYZ' } });
    await fetch(`${ready.static}?auth_code=CODE-XYZ`);
    while (err.split('\n').length < 3) await new Promise((r) => setTimeout(r, 10));
    assert.match(err, /GET \/open_api\/v1\.3\/oauth2\/advertiser\/get\/ 200/);
    assert.match(err, /GET \/sub\/ 200/);
    for (const secret of ['VERY-SECRET', 'TOKEN-XYZ', 'CODE-XYZ', '?']) assert.ok(!err.includes(secret), err);

    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });

  test('CLI refuses a non-loopback host and unknown arguments', async () => {
    for (const args of [['--host', '0.0.0.0'], ['--bogus']]) {
      const child = spawn(process.execPath, [SERVER, ...args], { stdio: 'ignore' });
      assert.notEqual(await exitsWithin(child, 3000), 0, args.join(' '));
    }
  });
});

// ------------------------------------------------------------------------------ realism modes

describe('modes for what TikTok may really send', () => {
  const rawExchange = async (scenario, behaviour) => {
    const res = await postJson(`${apiBase(scenario, behaviour)}/oauth2/access_token/`, {
      app_id: APP_ID, secret: 's', auth_code: standin.issueCode({ appId: APP_ID, scenario }),
    });
    assert.equal(res.status, 200);
    return res.text();
  };

  test('scope-strings, scope-all and scope-odd grant a token with an odd scope, as text', async () => {
    const strings = await rawExchange('odd1', 'scope-strings');
    assert.match(strings, /"scope":\["4","10","200","7043626160646815746"\]/);
    assert.match(await rawExchange('odd2', 'scope-all'), /"scope":"all"/);
    const odd = await rawExchange('odd3', 'scope-odd');
    assert.match(odd, /"scope":\[4,10,9007199254740993\.0,7e3,7043626160646815746\]/);
    const grant = JSON.parse(odd);
    assertEnvelope(grant, 0);
    assert.match(grant.data.access_token, /^[0-9a-f]{40}$/);
    // The token is real: advertiser/get accepts it.
    const list = await fetch(`${apiBase('odd3', 'scope-odd')}/oauth2/advertiser/get/?app_id=${APP_ID}&secret=s`, {
      headers: { 'Access-Token': grant.data.access_token },
    }).then((r) => r.json());
    assertEnvelope(list, 0);
  });

  test('revoke-bare revokes with data {} (no advertiser_ids)', async () => {
    const base = apiBase('bare1', 'revoke-bare');
    const token = (await exchange(base, { auth_code: standin.issueCode({ appId: APP_ID, scenario: 'bare1' }) })).data.access_token;
    const revoke = () =>
      postJson(`${base}/oauth2/revoke_token/`, { app_id: APP_ID, secret: 's', access_token: token }).then((r) => r.json());
    const revoked = await revoke();
    assertEnvelope(revoked, 0);
    assert.deepEqual(revoked.data, {});
    assertEnvelope(await revoke(), 40105);
  });

  test('code-only redirects with code (no auth_code) and that code answers 40115, unspent', async () => {
    const params = { app_id: APP_ID, state: 's9', redirect_uri: 'http://localhost:8080/cb', autoapprove: '1' };
    const res = await fetch(`${standin.url}/s/co1/code-only/portal/auth?${new URLSearchParams(params)}`, { redirect: 'manual' });
    assert.equal(res.status, 302);
    const url = new URL(res.headers.get('location'));
    assert.equal(url.searchParams.get('auth_code'), null);
    assert.match(url.searchParams.get('code'), /^[0-9a-f]{40}$/);
    assert.equal(url.searchParams.get('state'), 's9');
    const code = url.searchParams.get('code');
    assertEnvelope(await exchange(apiBase('co1', 'code-only'), { auth_code: code }), 40115);
    assertEnvelope(await exchange(apiBase('co1', 'code-only'), { auth_code: code }), 40115);
  });

  test('the legacy portal path /marketing_api/auth works like /portal/auth', async () => {
    const params = { app_id: APP_ID, state: 'L', redirect_uri: 'http://localhost:8080/cb', autoapprove: '1' };
    const res = await fetch(`${authBase('leg1')}/marketing_api/auth?${new URLSearchParams(params)}`, { redirect: 'manual' });
    assert.equal(res.status, 302);
    const url = new URL(res.headers.get('location'));
    assert.equal(url.searchParams.get('auth_code'), url.searchParams.get('code'));
    assertEnvelope(await exchange(apiBase('leg1'), { auth_code: url.searchParams.get('auth_code') }), 0);
    const page = await fetch(`${authBase('leg1')}/marketing_api/auth?${new URLSearchParams({ ...params, autoapprove: '0' })}`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /id="approve"/);
  });
});
