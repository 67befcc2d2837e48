// The Cloudflare Worker (npm/worker/worker.mjs) in the Workers runtime itself (workerd, through
// Miniflare), its outbound fetch sent to a fake TikTok on 127.0.0.1: CORS for the exact origins
// of ALLOWED_ORIGINS only, a configuration error forwards nothing, the calls reach TikTok's base.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { Miniflare } from 'miniflare';
import { startUpstream } from './upstream.mjs';
import { PRODUCTION_API_BASE } from '../../npm/facts.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const PAGE = 'https://page.example';
const TIKTOK = PRODUCTION_API_BASE + '/';
const EXCHANGE = JSON.stringify({ app_id: '123', secret: 'worker-test-secret', auth_code: 'c0de' });
let upstream, outbound, workers;

/** A Worker with these bindings; its fetches go to the fake upstream, recorded as sent. */
function worker(bindings) {
  const mf = new Miniflare({
    modules: true,
    modulesRoot: join(ROOT, 'npm'),
    scriptPath: join(ROOT, 'npm/worker/worker.mjs'),
    // npm/facts.js is an ES module (the package is "type": "module"; wrangler's bundle reads it so).
    modulesRules: [{ type: 'ESModule', include: ['**/*.mjs', '**/*.js'] }],
    compatibilityDate: '2025-01-01',
    bindings,
    outboundService: async (request) => {
      outbound.push({ url: request.url, method: request.method, headers: Object.fromEntries(request.headers) });
      const url = new URL(request.url);
      const target = url.href.startsWith(TIKTOK) ? upstream.url + url.href.slice(TIKTOK.length) : 'http://127.0.0.1:9/';
      return fetch(target, { method: request.method, headers: request.headers, body: request.body, duplex: 'half', redirect: 'manual' });
    },
  });
  workers.push(mf);
  return mf;
}

before(async () => {
  upstream = await startUpstream();
  workers = [];
});
after(async () => {
  await Promise.all(workers.map((w) => w.dispose()));
  await upstream.close();
});
beforeEach(() => {
  outbound = [];
  upstream.requests.length = 0;
});

test('forwards the page\'s calls to TikTok\'s base with CORS for its exact origin', async () => {
  const mf = worker({ ALLOWED_ORIGINS: `https://other.example, ${PAGE}` });
  const pre = await mf.dispatchFetch('https://relay.example/open_api/v1.3/oauth2/access_token/', {
    method: 'OPTIONS', headers: { Origin: PAGE, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
  });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get('access-control-allow-origin'), PAGE);
  assert.equal(pre.headers.get('access-control-allow-methods'), 'POST');
  assert.equal(pre.headers.get('access-control-allow-headers'), 'Content-Type, Access-Token');
  assert.equal(pre.headers.get('vary'), 'Origin');
  const r = await mf.dispatchFetch('https://relay.example/open_api/v1.3/oauth2/access_token/', {
    method: 'POST', headers: { Origin: PAGE, 'Content-Type': 'application/json', Cookie: 'a=1' }, body: EXCHANGE,
  });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('access-control-allow-origin'), PAGE);
  assert.equal(r.headers.get('content-type'), 'application/json; charset=utf-8');
  assert.equal(await r.text(), '{"code":0,"message":"OK","data":{}}');
  const g = await mf.dispatchFetch('https://relay.example/open_api/v1.3/oauth2/advertiser/get/?app_id=123', {
    headers: { Origin: PAGE, 'Access-Token': 'b'.repeat(40) },
  });
  assert.equal(g.status, 200);
  await g.arrayBuffer();
  assert.deepEqual(outbound.map((o) => `${o.method} ${o.url}`), [
    `POST ${TIKTOK}oauth2/access_token/`,
    `GET ${TIKTOK}oauth2/advertiser/get/?app_id=123`,
  ]);
  assert.equal(outbound[0].headers.cookie, undefined);
  assert.equal(outbound[0].headers.origin, undefined);
  assert.equal(outbound[1].headers['access-token'], 'b'.repeat(40));
  assert.equal(upstream.requests[0].body, EXCHANGE);
});

test('other origins get 403 without CORS, and nothing leaves', async () => {
  const mf = worker({ ALLOWED_ORIGINS: PAGE });
  for (const [method, origin] of [['OPTIONS', 'https://evil.example'], ['POST', 'https://evil.example'],
    ['POST', 'https://page.example.evil'], ['POST', 'http://page.example'], ['POST', null]]) {
    const headers = { 'Content-Type': 'text/plain' };
    if (origin) headers.Origin = origin;
    const r = await mf.dispatchFetch('https://relay.example/open_api/v1.3/oauth2/access_token/', {
      method, headers, body: method === 'POST' ? EXCHANGE : undefined,
    });
    assert.equal(r.status, 403, `${method} ${origin}`);
    assert.equal(r.headers.get('access-control-allow-origin'), null);
    await r.arrayBuffer();
  }
  const other = await mf.dispatchFetch('https://relay.example/open_api/v1.3/advertiser/info/', { headers: { Origin: PAGE } });
  assert.equal(other.status, 404);
  await other.arrayBuffer();
  assert.equal(outbound.length, 0);
});

test('without a usable ALLOWED_ORIGINS: 500 with the reason, and nothing forwarded', async () => {
  for (const bindings of [{}, { ALLOWED_ORIGINS: '' }, { ALLOWED_ORIGINS: '*' }, { ALLOWED_ORIGINS: 'https://*.example' },
    { ALLOWED_ORIGINS: 'https://page.example/path' }, { ALLOWED_ORIGINS: 'page.example' },
    // Plain http only for loopback pages.
    { ALLOWED_ORIGINS: 'http://page.example' }, { ALLOWED_ORIGINS: `${PAGE}, http://192.168.1.5:8080` },
    { ALLOWED_ORIGINS: 'http://x.localhost:8080' }, { ALLOWED_ORIGINS: 'http://127.0.0.1.example' }]) {
    const mf = worker(bindings);
    const r = await mf.dispatchFetch('https://relay.example/open_api/v1.3/oauth2/access_token/', {
      method: 'POST', headers: { Origin: PAGE, 'Content-Type': 'application/json' }, body: EXCHANGE,
    });
    assert.equal(r.status, 500, JSON.stringify(bindings));
    assert.match(await r.text(), /^Relay configuration error: ALLOWED_ORIGINS/);
    assert.equal(r.headers.get('access-control-allow-origin'), null);
  }
  assert.equal(outbound.length, 0);
});

test('http:// origins are allowed for loopback pages only', async () => {
  for (const origin of ['http://localhost:8080', 'http://127.0.0.1:8080', 'http://[::1]:8080']) {
    const mf = worker({ ALLOWED_ORIGINS: origin });
    const r = await mf.dispatchFetch('https://relay.example/open_api/v1.3/oauth2/access_token/', {
      method: 'POST', headers: { Origin: origin, 'Content-Type': 'application/json' }, body: EXCHANGE,
    });
    assert.equal(r.status, 200, origin);
    assert.equal(r.headers.get('access-control-allow-origin'), origin);
  }
});

test('an answer over 1 MiB is not buffered: 502, and relayed answers are JSON or plain text, sandboxed', async () => {
  const mf = worker({ ALLOWED_ORIGINS: PAGE });
  const send = () => mf.dispatchFetch('https://relay.example/open_api/v1.3/oauth2/access_token/', {
    method: 'POST', headers: { Origin: PAGE, 'Content-Type': 'application/json' }, body: EXCHANGE,
  });
  const before = upstream.answer;
  try {
    upstream.answer = () => ({ status: 200, body: '{"code":0,"pad":"' + 'x'.repeat(1 << 20) + '"}' });
    let r = await send();
    assert.equal(r.status, 502);
    assert.match(await r.text(), /over 1 MiB/);
    upstream.answer = () => ({ status: 503, type: 'text/html', body: '<html><script>alert(1)</script></html>' });
    r = await send();
    assert.equal(r.status, 503);
    assert.equal(r.headers.get('content-type'), 'text/plain; charset=utf-8');
    assert.equal(r.headers.get('content-security-policy'), 'sandbox');
  } finally {
    upstream.answer = before;
  }
});

test('wrangler.toml deploys worker.mjs', () => {
  const toml = readFileSync(join(ROOT, 'npm/worker/wrangler.toml'), 'utf8');
  assert.match(toml, /^main = "worker\.mjs"$/m);
  assert.match(toml, /^compatibility_date = "\d{4}-\d{2}-\d{2}"$/m);
  assert.doesNotMatch(toml, /^ALLOWED_ORIGINS\s*=\s*"\*"/m);
});
