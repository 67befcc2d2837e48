// The relay's handler (npm/bin/relay.mjs) in Node, against a fake TikTok on 127.0.0.1: which
// calls leave, for whom, with what, and what comes back and goes into the log.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkUpstream, createRelay, MAX_ANSWER_BYTES, MAX_BODY_BYTES } from '../../npm/bin/relay.mjs';
import { startUpstream } from './upstream.mjs';

const PAGE = 'http://localhost:8080';
const SECRET = 'relay-test-secret-0123456789';
const TOKEN = 'a'.repeat(40);
const AUTH_CODE = 'authcode-relay-test-9876';
let upstream, lines, relay, next;

before(async () => {
  upstream = await startUpstream((req, body) => next(req, body));
});
after(() => upstream.close());
beforeEach(() => {
  upstream.requests.length = 0;
  lines = [];
  next = () => ({ status: 200, body: '{"code":0,"message":"OK","data":{"access_token":"' + TOKEN + '"}}' });
  relay = createRelay({ upstream: upstream.url, allowOrigin: (o) => o === PAGE, log: (l) => lines.push(l) });
});

const call = (path, init = {}) => relay(new Request('http://localhost:8080' + path, init));
const post = (path, body, headers = {}) => call(path, {
  method: 'POST', body, headers: { Origin: PAGE, 'Content-Type': 'application/json', ...headers },
});
const exchange = JSON.stringify({ app_id: '123', secret: SECRET, auth_code: AUTH_CODE });

test('forwards the three calls to the upstream, with the query on the GET only', async () => {
  let r = await post('/open_api/v1.3/oauth2/access_token/', exchange);
  assert.equal(r.status, 200);
  r = await call(`/open_api/v1.3/oauth2/advertiser/get/?app_id=123&secret=${SECRET}`, { headers: { Origin: PAGE, 'Access-Token': TOKEN } });
  assert.equal(r.status, 200);
  r = await post('/open_api/v1.3/oauth2/revoke_token/?x=1', JSON.stringify({ app_id: '123', secret: SECRET, access_token: TOKEN }));
  assert.equal(r.status, 200);
  assert.deepEqual(upstream.requests.map((q) => `${q.method} ${q.url}`), [
    'POST /open_api/v1.3/oauth2/access_token/',
    `GET /open_api/v1.3/oauth2/advertiser/get/?app_id=123&secret=${SECRET}`,
    'POST /open_api/v1.3/oauth2/revoke_token/',
  ]);
  assert.equal(upstream.requests[0].body, exchange);
});

test('anything else is 404 and nothing leaves', async () => {
  for (const path of ['/', '/open_api/v1.3/', '/open_api/v1.3/oauth2/access_token', '/open_api/v1.3/oauth2/other/',
    '/open_api/v1.2/oauth2/access_token/', '/open_api/v1.3/advertiser/info/', '/x/open_api/v1.3/oauth2/access_token/',
    '/open_api/v1.3/oauth2/access_token/x', '/open_api/v1.3/oauth2/Access_Token/']) {
    const r = await post(path, exchange);
    assert.equal(r.status, 404, path);
    assert.match(r.headers.get('content-type'), /^text\/plain/);
  }
  // The right path with another method: refused too.
  assert.equal((await call('/open_api/v1.3/oauth2/access_token/', { headers: { Origin: PAGE } })).status, 405);
  assert.equal((await post('/open_api/v1.3/oauth2/advertiser/get/', '{}')).status, 405);
  assert.equal(upstream.requests.length, 0);
});

test('another origin, a missing Origin on POST, or a GET without Origin nor Sec-Fetch-Site is 403, whatever the content type', async () => {
  const path = '/open_api/v1.3/oauth2/access_token/';
  for (const [origin, type] of [['https://evil.example', 'application/json'], ['https://evil.example', 'text/plain'],
    ['https://evil.example', 'application/x-www-form-urlencoded'], ['http://localhost:8081', 'application/json'],
    ['null', 'application/json'], [null, 'application/json'], [null, 'text/plain']]) {
    const headers = { 'Content-Type': type };
    if (origin !== null) headers.Origin = origin;
    const r = await call(path, { method: 'POST', headers, body: exchange });
    assert.equal(r.status, 403, `${origin} ${type}`);
    assert.equal(r.headers.get('access-control-allow-origin'), null);
  }
  const get = '/open_api/v1.3/oauth2/advertiser/get/?app_id=1';
  assert.equal((await call(get)).status, 403);
  assert.equal((await call(get, { headers: { 'Sec-Fetch-Site': 'cross-site' } })).status, 403);
  assert.equal((await call(get, { headers: { 'Sec-Fetch-Site': 'same-origin', Origin: 'https://evil.example' } })).status, 403);
  assert.equal(upstream.requests.length, 0, 'nothing forwarded');
  // A same-origin GET without Origin (Chromium may omit it) goes through.
  assert.equal((await call(get, { headers: { 'Sec-Fetch-Site': 'same-origin' } })).status, 200);
  assert.equal(upstream.requests.length, 1);
});

test('forwards only the body, Content-Type and Access-Token', async () => {
  const extra = {
    Cookie: 'session=1', Referer: `${PAGE}/?auth_code=${AUTH_CODE}`, 'X-Forwarded-For': '10.0.0.1', Forwarded: 'for=10.0.0.1',
    'X-Real-IP': '10.0.0.1', Authorization: 'Bearer x', 'Sec-Fetch-Site': 'same-origin', 'User-Agent': 'Browser/1',
    'Accept-Language': 'de', 'X-Custom': 'y',
  };
  await post('/open_api/v1.3/oauth2/access_token/', exchange, extra);
  await call('/open_api/v1.3/oauth2/advertiser/get/?a=1', { headers: { Origin: PAGE, 'Access-Token': TOKEN, ...extra } });
  const [p, g] = upstream.requests;
  assert.equal(p.headers['content-type'], 'application/json');
  assert.equal(g.headers['access-token'], TOKEN);
  assert.equal(g.headers['content-type'], undefined, 'no Content-Type on the GET');
  for (const q of upstream.requests) {
    for (const h of ['cookie', 'origin', 'referer', 'x-forwarded-for', 'forwarded', 'x-real-ip', 'authorization',
      'sec-fetch-site', 'x-custom']) assert.equal(q.headers[h], undefined, h);
    // fetch's own defaults, not the browser's.
    assert.notEqual(q.headers['user-agent'], 'Browser/1');
    assert.notEqual(q.headers['accept-language'], 'de');
  }
  assert.equal(g.body, '');
});

test('a POST body must be JSON and at most 64 KiB (415, 413), nothing forwarded', async () => {
  const path = '/open_api/v1.3/oauth2/access_token/';
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx']) {
    assert.equal((await post(path, exchange, { 'Content-Type': type })).status, 415, type);
  }
  const big = JSON.stringify({ secret: 'x'.repeat(MAX_BODY_BYTES) });
  assert.equal((await post(path, big)).status, 413);
  // Without a declared length (a stream): cut off past the limit as well.
  const stream = new ReadableStream({
    start(c) {
      for (let i = 0; i < 5; i++) c.enqueue(new Uint8Array(16 * 1024 + 1));
      c.close();
    },
  });
  const r = await relay(new Request(`${PAGE}${path}`, {
    method: 'POST', body: stream, duplex: 'half', headers: { Origin: PAGE, 'Content-Type': 'application/json' },
  }));
  assert.equal(r.status, 413);
  assert.equal(upstream.requests.length, 0);
  // Exactly the limit passes.
  assert.equal((await post(path, ' '.repeat(MAX_BODY_BYTES))).status, 200);
});

test('TikTok\'s status and body come back unchanged, as JSON or plain text, sandboxed', async () => {
  const body = '{"code":40002,"message":"Auth code expired","request_id":"x","data":{}}';
  next = () => ({ status: 200, body, type: 'application/json' });
  let r = await post('/open_api/v1.3/oauth2/access_token/', exchange);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/json');
  assert.equal(r.headers.get('content-security-policy'), 'sandbox');
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(await r.text(), body);
  // HTML or script from upstream is never a document on the page's origin.
  for (const type of ['text/html', 'text/html; charset=utf-8', 'image/svg+xml', 'application/javascript', 'application/jsonp']) {
    next = () => ({ status: 503, body: '<html><script>alert(1)</script></html>', type });
    r = await post('/open_api/v1.3/oauth2/access_token/', exchange);
    assert.equal(r.status, 503);
    assert.equal(r.headers.get('content-type'), 'text/plain; charset=utf-8', String(type));
    assert.equal(r.headers.get('content-security-policy'), 'sandbox');
    assert.equal(await r.text(), '<html><script>alert(1)</script></html>');
  }
});

test('an answer over 1 MiB is not buffered: 502 with a plain reason', async () => {
  const big = '{"code":0,"pad":"' + 'x'.repeat(MAX_ANSWER_BYTES) + '"}';
  // With its length declared, and sent in chunks without one.
  for (const headers of [{}, { 'Transfer-Encoding': 'chunked' }]) {
    next = () => ({ status: 200, body: big, type: 'application/json', headers });
    const r = await post('/open_api/v1.3/oauth2/access_token/', exchange);
    assert.equal(r.status, 502);
    assert.match(await r.text(), /over 1 MiB/);
  }
  // Exactly 1 MiB still comes through.
  const fits = '{"code":0,"pad":"' + 'x'.repeat(MAX_ANSWER_BYTES - 19) + '"}';
  assert.equal(fits.length, MAX_ANSWER_BYTES);
  next = () => ({ status: 200, body: fits, type: 'application/json' });
  const ok = await post('/open_api/v1.3/oauth2/access_token/', exchange);
  assert.equal(ok.status, 200);
  assert.equal((await ok.text()).length, MAX_ANSWER_BYTES);
});

test('a redirect from upstream is not followed: 502 with a plain reason', async () => {
  const elsewhere = await startUpstream();
  try {
    next = () => ({ status: 307, headers: { Location: elsewhere.url + 'oauth2/access_token/' } });
    const r = await post('/open_api/v1.3/oauth2/access_token/', exchange);
    assert.equal(r.status, 502);
    assert.match(await r.text(), /redirect \(HTTP 307\)/);
    assert.equal(elsewhere.requests.length, 0, 'the secret went nowhere else');
    assert.equal(upstream.requests.length, 1);
  } finally {
    await elsewhere.close();
  }
});

test('no retry: a dropped connection is one request and a 502', async () => {
  next = () => 'drop';
  const r = await post('/open_api/v1.3/oauth2/access_token/', exchange);
  assert.equal(r.status, 502);
  assert.match(r.headers.get('content-type'), /^text\/plain/);
  assert.match(await r.text(), /could not be reached/);
  assert.equal(upstream.requests.length, 1);
});

test('an upstream that does not answer in time: 504 with a plain reason', async () => {
  next = () => 'hang';
  relay = createRelay({ upstream: upstream.url, allowOrigin: () => true, timeoutMs: 300 });
  const started = Date.now();
  const r = await post('/open_api/v1.3/oauth2/access_token/', exchange);
  assert.equal(r.status, 504);
  assert.match(await r.text(), /did not answer within/);
  assert.ok(Date.now() - started < 5_000);
});

test('an unreachable upstream: 502 with a plain reason', async () => {
  const gone = await startUpstream();
  const url = gone.url;
  await gone.close();
  relay = createRelay({ upstream: url, allowOrigin: () => true });
  const r = await post('/open_api/v1.3/oauth2/access_token/', exchange);
  assert.equal(r.status, 502);
  assert.equal(r.headers.get('content-type'), 'text/plain; charset=utf-8');
  assert.match(await r.text(), /^Bad gateway: TikTok could not be reached/);
});

test('logs one line per call: the call, the status, TikTok\'s code, and no query, body, header or secret', async () => {
  next = (req) => ({ status: 200, body: req.url.includes('advertiser') ? '{"code":40105,"message":"bad token"}' : '{"code":0,"data":{"access_token":"' + TOKEN + '"}}' });
  await post('/open_api/v1.3/oauth2/access_token/', exchange);
  await call(`/open_api/v1.3/oauth2/advertiser/get/?app_id=123&secret=${SECRET}`, { headers: { Origin: PAGE, 'Access-Token': TOKEN } });
  await post('/open_api/v1.3/oauth2/access_token/', exchange, { Origin: 'https://evil.example' });
  assert.deepEqual(lines, ['relay access_token 200 code=0', 'relay advertiser_get 200 code=40105', 'relay access_token 403 Forbidden']);
  const all = lines.join('\n');
  for (const s of [SECRET, TOKEN, AUTH_CODE, 'app_id', 'evil', 'localhost']) assert.ok(!all.includes(s), s);
});

test('the upstream may only be https, or http on this computer', () => {
  for (const bad of ['http://example.com/', 'http://10.0.0.1/', 'ftp://127.0.0.1/', 'file:///etc/', 'nonsense',
    'https://u:p@example.com/', 'https://example.com/?q=1']) {
    assert.throws(() => checkUpstream(bad), TypeError, bad);
    assert.throws(() => createRelay({ upstream: bad, allowOrigin: () => true }), TypeError, bad);
  }
  assert.equal(checkUpstream('http://127.0.0.1:9/open_api/v1.3'), 'http://127.0.0.1:9/open_api/v1.3/');
  assert.equal(checkUpstream('http://[::1]:9/a/'), 'http://[::1]:9/a/');
  assert.equal(checkUpstream('https://relay.example/open_api/v1.3/'), 'https://relay.example/open_api/v1.3/');
  assert.throws(() => createRelay({ upstream: upstream.url }), TypeError, 'allowOrigin is required');
});

test('with cors: preflight and answers carry the exact origin for allowed origins only', async () => {
  relay = createRelay({ upstream: upstream.url, allowOrigin: (o) => o === PAGE, cors: true });
  const path = '/open_api/v1.3/oauth2/advertiser/get/?a=1';
  const pre = await call(path, { method: 'OPTIONS', headers: { Origin: PAGE, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'access-token' } });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get('access-control-allow-origin'), PAGE);
  assert.equal(pre.headers.get('vary'), 'Origin');
  assert.equal(pre.headers.get('access-control-allow-methods'), 'GET');
  assert.equal(pre.headers.get('access-control-allow-headers'), 'Content-Type, Access-Token');
  const bad = await call(path, { method: 'OPTIONS', headers: { Origin: 'https://evil.example' } });
  assert.equal(bad.status, 403);
  assert.equal(bad.headers.get('access-control-allow-origin'), null);
  const r = await call(path, { headers: { Origin: PAGE, 'Access-Token': TOKEN } });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('access-control-allow-origin'), PAGE);
  assert.equal(upstream.requests.length, 1, 'a preflight is never forwarded');
  // The local server's same-origin GET without Origin has no meaning for a Worker, which serves no page.
  const spoofed = await call(path, { headers: { 'Sec-Fetch-Site': 'same-origin', 'Access-Token': TOKEN } });
  assert.equal(spoofed.status, 403);
  assert.equal(upstream.requests.length, 1, 'nothing forwarded without an allowed Origin');
});

test('an answer with no body (204) is passed on as such, logged once', async () => {
  next = () => ({ status: 204 });
  const r = await post('/open_api/v1.3/oauth2/revoke_token/', JSON.stringify({ app_id: '123', secret: SECRET, access_token: TOKEN }));
  assert.equal(r.status, 204);
  assert.equal(await r.text(), '');
  assert.deepEqual(lines, ['relay revoke_token 204 code=-']);
});

test('an answer declared over 1 MiB is let go unread: its connection does not stay open', async () => {
  // The upstream declares 2 MiB and then sends nothing more: only the relay can end it.
  const used = [];
  next = (req) => {
    used.push(req.socket);
    req.socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2097152\r\n\r\n{"code":0');
    return 'hang';
  };
  for (let i = 0; i < 3; i++) {
    const r = await post('/open_api/v1.3/oauth2/access_token/', exchange);
    assert.equal(r.status, 502);
    assert.match(await r.text(), /over 1 MiB/);
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  const open = used.filter((s) => !s.destroyed).length;
  assert.equal(open, 0, `${open} of the ${used.length} connections with an unread answer left open`);
});
