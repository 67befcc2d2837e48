// The local server (npm/bin/server.mjs) with its relay: the page's own origin only, the page's
// config.js naming the relay, --no-relay, and the server's hardening (CORP, *.localhost).
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pageFiles, PAGE_FILES, readConfig, UsageError } from '../../npm/bin/page.mjs';
import { RELAY_ENVIRONMENT, startServer } from '../../npm/bin/server.mjs';
import { startUpstream } from './upstream.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const EXCHANGE = JSON.stringify({ app_id: '123', secret: 'server-test-secret', auth_code: 'c0de' });
let dir, upstream, site, plainSite, lines;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tiktok-ads-auth-relay-'));
  for (const f of PAGE_FILES) {
    mkdirSync(dirname(join(dir, f)), { recursive: true });
    writeFileSync(join(dir, f), `/* ${f} */\n`);
  }
  copyFileSync(join(ROOT, 'www/config.js'), join(dir, 'config.js'));
  upstream = await startUpstream();
  lines = [];
  site = await startServer({ files: pageFiles(dir), port: 0, relay: { upstream: upstream.url, log: (l) => lines.push(l) } });
  plainSite = await startServer({ files: pageFiles(dir), port: 0 });
});
after(async () => {
  await site?.close();
  await plainSite?.close();
  await upstream?.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  upstream.requests.length = 0;
  lines.length = 0;
});

/** One request with exactly these headers (Host included), on a fresh connection. */
function send(port, path, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { Host: `localhost:${port}`, ...headers }, agent: false, timeout: 5_000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error('no answer')));
    req.on('error', reject);
    if (typeof body === 'function') body(req);
    else req.end(body);
  });
}
const json = { 'Content-Type': 'application/json' };
const TOKEN_PATH = '/open_api/v1.3/oauth2/access_token/';

test('the relay forwards the page\'s own-origin calls, on each of its loopback origins', async () => {
  for (const origin of [`http://localhost:${site.port}`, `http://127.0.0.1:${site.port}`, `http://[::1]:${site.port}`]) {
    const r = await send(site.port, TOKEN_PATH, { method: 'POST', headers: { ...json, Origin: origin }, body: EXCHANGE });
    assert.equal(r.status, 200, origin);
    assert.equal(r.body, '{"code":0,"message":"OK","data":{}}');
    assert.equal(r.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(r.headers['access-control-allow-origin'], undefined, 'same-origin: no CORS');
  }
  assert.equal(upstream.requests.length, 3);
  assert.equal(upstream.requests[0].body, EXCHANGE);
  assert.equal(upstream.requests[0].headers.origin, undefined);
  assert.deepEqual(lines, ['relay access_token 200 code=0', 'relay access_token 200 code=0', 'relay access_token 200 code=0']);
});

test('another site, another local port, or a rebinding Host gets nothing forwarded', async () => {
  const cases = [
    { headers: { ...json, Origin: 'https://evil.example' } },
    { headers: { 'Content-Type': 'text/plain', Origin: 'https://evil.example' } },
    { headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://evil.example' } },
    { headers: { ...json, Origin: `http://localhost:${site.port + 1}` } },
    { headers: { ...json } },
    { headers: { ...json, Origin: 'http://evil.example', Host: 'evil.example' }, status: 400 },
  ];
  for (const c of cases) {
    const r = await send(site.port, TOKEN_PATH, { method: 'POST', headers: c.headers, body: EXCHANGE });
    assert.equal(r.status, c.status ?? 403, JSON.stringify(c.headers));
  }
  assert.equal((await send(site.port, '/open_api/v1.3/oauth2/advertiser/get/?a=1')).status, 403);
  assert.equal(upstream.requests.length, 0);
});

test('a body past 64 KiB sent in chunks is refused with 413 and not forwarded', async () => {
  const r = await send(site.port, TOKEN_PATH, {
    method: 'POST',
    headers: { ...json, Origin: `http://localhost:${site.port}`, 'Transfer-Encoding': 'chunked' },
    body: (req) => {
      for (let i = 0; i < 8; i++) req.write('x'.repeat(16 * 1024));
      req.end();
    },
  });
  assert.equal(r.status, 413);
  assert.equal(upstream.requests.length, 0);
});

test('a refused POST is answered before its body is read: a foreign Origin, a path the relay does not forward', async () => {
  // 60 KiB of a body that never ends: the answer must not wait for it (the server used to read
  // up to 64 KiB before the relay looked at the path and the Origin).
  const streaming = (req) => req.write('x'.repeat(60 * 1024));
  const cases = [
    { path: TOKEN_PATH, origin: 'https://evil.example', status: 403 },
    { path: '/open_api/v1.3/oauth2/other/', origin: `http://localhost:${site.port}`, status: 404 },
    { path: '/open_api/v1.3/oauth2/access_token/x', origin: 'https://evil.example', status: 404 },
  ];
  for (const c of cases) {
    const started = performance.now();
    const r = await send(site.port, c.path, {
      method: 'POST',
      headers: { ...json, Origin: c.origin, 'Transfer-Encoding': 'chunked' },
      body: streaming,
    });
    const ms = performance.now() - started;
    assert.equal(r.status, c.status, c.path);
    assert.equal(r.headers.connection, 'close', 'the unread body ends the connection');
    assert.ok(ms < 2_000, `answered after ${Math.round(ms)} ms, with the body still streaming`);
  }
  assert.equal(upstream.requests.length, 0);
});

test('an allowed POST still reads its whole body, sent slowly in pieces', async () => {
  const r = await send(site.port, TOKEN_PATH, {
    method: 'POST',
    headers: { ...json, Origin: `http://localhost:${site.port}`, 'Transfer-Encoding': 'chunked' },
    body: (req) => {
      const pieces = [EXCHANGE.slice(0, 10), EXCHANGE.slice(10, 40), EXCHANGE.slice(40)];
      const next = () => (pieces.length ? (req.write(pieces.shift()), setTimeout(next, 30)) : req.end());
      next();
    },
  });
  assert.equal(r.status, 200);
  assert.equal(upstream.requests.length, 1);
  assert.equal(upstream.requests[0].body, EXCHANGE);
});

test('config.js names the relay on the origin the page was loaded from, first and by default', async () => {
  for (const host of [`localhost:${site.port}`, `127.0.0.1:${site.port}`]) {
    const r = await send(site.port, '/config.js', { headers: { Host: host } });
    assert.equal(r.status, 200);
    const config = readConfig(r.body);
    assert.equal(config.defaultEnvironment, RELAY_ENVIRONMENT);
    assert.equal(Object.keys(config.environments)[0], RELAY_ENVIRONMENT);
    assert.equal(config.environments[RELAY_ENVIRONMENT], `http://${host}/open_api/v1.3`);
    assert.equal(config.environments.production, 'https://business-api.tiktok.com/open_api/v1.3', 'TikTok stays selectable');
  }
  assert.equal(RELAY_ENVIRONMENT, 'Calls go through this computer to TikTok');
});

test('config.js on a .localhost name the page cannot use: a clear 400, not a 500, and nothing logged but the documented lines', async () => {
  for (const host of [`a.localhost:${site.port}`, `x.y.localhost:${site.port}`, 'a.localhost']) {
    const r = await send(site.port, '/config.js', { headers: { Host: host } });
    assert.equal(r.status, 400, host);
    assert.match(r.body, /work on localhost, 127\.0\.0\.1 or \[::1\] only: open http:\/\/localhost(:\d+)?\/ instead/);
  }
  assert.deepEqual(lines, []);
  // Asked to listen on such a name with the relay: refused at start, with the reason.
  await assert.rejects(
    startServer({ files: pageFiles(dir), host: 'page.localhost', port: 0, relay: { upstream: upstream.url }, lookup: async () => [{ address: '127.0.0.1', family: 4 }] }),
    (e) => e instanceof UsageError && /admits its relay on plain http only at localhost/.test(e.message),
  );
});

test('a request the server itself fails on is logged in the one documented form, with the error\'s name only', async () => {
  // TRACE reaches the relay's path, where a web Request cannot be made with it.
  const r = await send(site.port, `${TOKEN_PATH}?secret=s3cr3t`, { method: 'TRACE', headers: { Origin: `http://localhost:${site.port}` } });
  assert.equal(r.status, 500);
  assert.deepEqual(lines, ['server - 500 TypeError']);
  assert.equal(upstream.requests.length, 0);
});

test('a page built for another API base is served as built, the relay still answering', async () => {
  const other = mkdtempSync(join(tmpdir(), 'tiktok-ads-auth-relay-own-'));
  for (const f of PAGE_FILES) {
    mkdirSync(dirname(join(other, f)), { recursive: true });
    writeFileSync(join(other, f), `/* ${f} */\n`);
  }
  const own = "window.tiktokAdsAuthConfig = { environments: { mine: 'https://relay.example/open_api/v1.3' }, defaultEnvironment: 'mine' };\n";
  writeFileSync(join(other, 'config.js'), own);
  const s = await startServer({ files: pageFiles(other), port: 0, relay: { upstream: upstream.url } });
  try {
    assert.equal((await send(s.port, '/config.js')).body, own);
    const r = await send(s.port, TOKEN_PATH, { method: 'POST', headers: { ...json, Origin: `http://localhost:${s.port}` }, body: EXCHANGE });
    assert.equal(r.status, 200);
  } finally {
    await s.close();
    rmSync(other, { recursive: true, force: true });
  }
});

test('without the relay: the page\'s own config.js, and /open_api/ is not served', async () => {
  const r = await send(plainSite.port, '/config.js');
  assert.equal(r.body, readFileSync(join(dir, 'config.js'), 'utf8'));
  const p = await send(plainSite.port, TOKEN_PATH, { method: 'POST', headers: { ...json, Origin: `http://localhost:${plainSite.port}` }, body: EXCHANGE });
  assert.equal(p.status, 405);
  assert.equal((await send(plainSite.port, '/open_api/v1.3/oauth2/advertiser/get/')).status, 404);
  assert.equal(upstream.requests.length, 0);
});

test('every answer carries Cross-Origin-Resource-Policy: same-origin', async () => {
  const answers = [
    await send(site.port, '/'),
    await send(site.port, '/config.js'),
    await send(site.port, '/missing'),
    await send(site.port, '/', { method: 'DELETE' }),
    await send(site.port, '/', { headers: { Host: 'evil.example' } }),
    await send(site.port, TOKEN_PATH, { method: 'POST', headers: { ...json, Origin: `http://localhost:${site.port}` }, body: EXCHANGE }),
    await send(site.port, TOKEN_PATH, { method: 'POST', headers: { ...json, Origin: 'https://evil.example' }, body: EXCHANGE }),
    await send(plainSite.port, '/app.js'),
  ];
  for (const r of answers) assert.equal(r.headers['cross-origin-resource-policy'], 'same-origin', String(r.status));
  assert.equal(answers[5].headers['x-content-type-options'], 'nosniff');
});

test('a --host ending in .localhost is loopback only if it resolves only to this computer', async () => {
  const files = pageFiles(dir);
  await assert.rejects(
    startServer({ files, host: 'rebound.localhost', port: 0, lookup: async () => [{ address: '127.0.0.1', family: 4 }, { address: '192.0.2.7', family: 4 }] }),
    (e) => e instanceof UsageError && /resolves to 192\.0\.2\.7, not only to this computer/.test(e.message),
  );
  await assert.rejects(
    startServer({ files, host: 'nowhere.localhost', port: 0, lookup: async () => { throw Object.assign(new Error('x'), { code: 'ENOTFOUND' }); } }),
    (e) => e instanceof UsageError && /does not resolve/.test(e.message),
  );
  // Names that resolve to loopback addresses only are accepted (listening on the address itself).
  let asked = null;
  const ok = await startServer({
    files, host: 'page.localhost', port: 0,
    lookup: async (name) => { asked = name; return [{ address: '127.0.0.1', family: 4 }]; },
  }).catch((e) => e);
  if (ok instanceof UsageError) assert.match(ok.message, /not an address of this computer/); // the system resolver's answer when listening
  else await ok.close();
  assert.equal(asked, 'page.localhost');
});
