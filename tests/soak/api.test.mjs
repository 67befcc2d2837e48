// 100 000 random and hostile inputs through every function of the JS API, in one module
// instance (the release build in pkg/): every failure must be a TikTokAuthError of a kind the
// function can produce, no error may show a credential, and afterwards known-good calls —
// one of them a real exchange with the TikTok stand-in — must still give the right results.
//   SOAK_INPUTS=N (default 100000)   SOAK_SEED=N (printed by every run) to reproduce one
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KINDS, api, assertAuthError, hostileString, hostileValue, random, standin, usePackage, wasm } from './common.mjs';

const INPUTS = Number(process.env.SOAK_INPUTS || 100_000);
const SEED = Number(process.env.SOAK_SEED || Math.floor(Math.random() * 2 ** 31));
const realFetch = globalThis.fetch;

usePackage({ standin: true });

const set = (...kinds) => new Set(kinds);
const NETWORK = set('invalid_input', 'network', 'timeout', 'http_status', 'api_error', 'invalid_response');
const FUNCTIONS = {
  authorizationUrl: { kinds: set('invalid_input'), fields: ['appId', 'redirectUri', 'state', 'authBase'] },
  parseRedirect: { kinds: set('invalid_input', 'missing_auth_code', 'authorization_denied'), arg: 'redirect' },
  stateVerdict: { kinds: set('invalid_input', 'state_mismatch'), fields: ['expected', 'returned'] },
  stripRedirectParams: { kinds: set('invalid_input'), arg: 'redirect' },
  normalizeApiBase: { kinds: set('invalid_input'), arg: 'apiBase' },
  parseTokenResponse: { kinds: set('invalid_input', 'api_error', 'invalid_response'), arg: 'body' },
  tokenRequestCurl: { kinds: set('invalid_input'), fields: ['appId', 'secret', 'authCode', 'apiBase'] },
  advertisersRequestCurl: { kinds: set('invalid_input'), fields: ['accessToken', 'appId', 'secret', 'apiBase'] },
  exchangeAuthCode: { kinds: NETWORK, async: true, fields: ['appId', 'secret', 'authCode', 'apiBase', 'timeoutMs'] },
  getAdvertisers: { kinds: NETWORK, async: true, fields: ['accessToken', 'appId', 'secret', 'apiBase', 'timeoutMs'] },
  revokeToken: { kinds: NETWORK, async: true, fields: ['accessToken', 'appId', 'secret', 'apiBase', 'timeoutMs'] },
  isTikTokAuthError: { never: true, arg: 'any' },
};
const NAMES = Object.keys(FUNCTIONS);

/** A run's generators; credentials are distinctive so that a leak cannot hide in ordinary text. */
function generators(r, { timeouts = [1, 2, 5, 20, 50, undefined], traps = true } = {}) {
  const hostile = () => hostileValue(r, 0, { traps });
  let serial = 0;
  const secret = () => `S3KRET${(++serial).toString(36)}x${r.int(1e6, 9e6)}`;
  const token = () => `T0KEN${(++serial).toString(36)}x${r.int(1e6, 9e6)}`;
  const code = () => `C0DE${(++serial).toString(36)}x${r.int(1e6, 9e6)}`;
  const enc = encodeURIComponent;
  const safeEnc = (s) => { try { return enc(s); } catch { return s; } }; // lone surrogates
  const valid = {
    appId: () => r.pick(['7123456789012345678', ' 42 ', '1', '7000000000000000001\n', '9'.repeat(32)]),
    redirectUri: () => r.pick(['https://me.example/cb/', 'http://localhost:8080/', 'https://me.example/a?b=c&d=é', 'http://[::1]:8080/x']),
    state: () => r.pick(['xyz', 'st&ate=?#/ é😀 +', 'a'.repeat(1024), hostileString(r)]),
    authBase: () => r.pick(['http://127.0.0.1:8081', 'https://h.example/portal/auth/', undefined]),
    secret,
    authCode: code,
    accessToken: token,
    apiBase: () => r.pick(['http://127.0.0.1:9/open_api/v1.3', 'https://business-api.tiktok.com/open_api/v1.3/', "https://relay.example/it's/open_api/v1.3", undefined]),
    timeoutMs: () => r.pick(timeouts),
    expected: () => r.pick([null, undefined, 'abc', 'abd', '', hostileString(r)]),
    returned: () => r.pick([null, undefined, 'abc', 'abd', '', hostileString(r)]),
  };
  const redirect = () => {
    const x = r.int(0, 5);
    const h = () => safeEnc(hostileString(r));
    if (x === 0) return `https://me.example/cb/?auth_code=${code()}&code=${r.chance(0.5) ? h() : ''}&state=${h()}`;
    if (x === 1) return `?${r.pick(['auth_code', 'code', 'error', 'state'])}=${h()}&${r.pick(['auth_code', 'code', 'state', 'error_description'])}=${h()}`;
    if (x === 2) return `https://me.example/cb#auth_code=${h()}&state=${hostileString(r)}`;
    if (x === 3) return hostileString(r) + `auth_code=${hostileString(r)}` + hostileString(r);
    return hostileString(r);
  };
  const json = (depth = 0) => {
    const x = r.int(0, depth > 3 ? 4 : 8);
    if (x === 0) return null;
    if (x === 1) return r.pick([0, 1, -1, 40110, 1.5, 1e300, 2 ** 53, 9007199254740993, true, false]);
    if (x === 2) return hostileString(r);
    if (x === 3) return r.pick(['7123456789012345678', '', ' ', '<b>x</b>']);
    if (x === 4) return r.int(0, 1e9);
    if (x <= 6) return Array.from({ length: r.int(0, 4) }, () => json(depth + 1));
    const o = {};
    for (let i = r.int(0, 5); i > 0; i--) {
      o[r.pick(['code', 'message', 'request_id', 'data', 'access_token', 'advertiser_ids', 'scope', 'list', 'advertiser_id', 'advertiser_name', hostileString(r)])] = json(depth + 1);
    }
    return o;
  };
  const grantBody = () => JSON.stringify({
    code: 0, message: 'OK', request_id: String(r.int(1, 1e9)),
    data: { access_token: token(), advertiser_ids: ['7000000000000000001', r.int(1, 1e6)], scope: [4, 5] },
  });
  const body = () => {
    const x = r.int(0, 6);
    if (x === 0) return grantBody();
    if (x === 1) return JSON.stringify({ code: r.pick([0, 40110, 40105, -1, 1e20]), message: hostileString(r), request_id: hostileString(r), data: json() });
    if (x === 2) return JSON.stringify(json());
    if (x === 3) { const b = grantBody(); return b.slice(0, r.int(0, b.length)); }
    if (x === 4) return `{"code":0,"data":{"access_token":"t","advertiser_ids":[${r.pick(['7123456789012345678', '-7123456789012345678', '1e400', '1.5', '"x"', '[]', '{}', '9'.repeat(400)])}]}}`;
    if (x === 5) return '['.repeat(r.int(1, 5000)) + ']'.repeat(r.int(0, 5000));
    return hostileString(r);
  };
  const value = (kind) => {
    if (kind === 'any') return hostile();
    if (r.chance(0.1)) return hostile();
    if (kind === 'redirect') return redirect();
    if (kind === 'body') return body();
    if (kind === 'apiBase') return r.chance(0.5) ? valid.apiBase() ?? '' : hostileString(r);
    return hostileString(r);
  };
  const options = (fields, good) => {
    if (r.chance(0.04)) return hostile();
    const o = r.chance(0.05) ? Object.create(null) : {};
    for (const f of fields) {
      const x = r.next();
      if (x < good) o[f] = valid[f]();
      else if (x < good + (1 - good) * 0.6) o[f] = hostileString(r);
      else if (x < good + (1 - good) * 0.85) o[f] = hostile();
      else if (x < good + (1 - good) * 0.92) Object.defineProperty(o, f, { get() { throw new Error('getter'); }, enumerable: true });
    }
    if (r.chance(0.03)) {
      return new Proxy(o, { get(t, k) { if (r.chance(0.2)) throw new Error('trap'); return Reflect.get(t, k); } });
    }
    return o;
  };
  return { value, options, grantBody, body, token };
}

/** Every credential-looking string in the arguments: none may show up in an error. */
function credentialsIn(args) {
  const found = [];
  const visit = (v) => {
    if (typeof v === 'string' && /^(S3KRET|T0KEN|C0DE)/.test(v)) found.push(v);
    else if (v && typeof v === 'object') {
      for (const k of ['secret', 'accessToken', 'authCode']) {
        const d = Object.getOwnPropertyDescriptor(v, k);
        if (d && 'value' in d) visit(d.value);
      }
    }
  };
  for (const a of args) {
    try { visit(a); } catch { /* a proxy */ }
  }
  return found;
}

/** A fetch that answers like every kind of broken server, and sometimes like a good one. */
function hostileFetch(r, gen, stats, { hang = true } = {}) {
  // Called as the package calls it, `fetch(url, init)`: made a Request here to read it back.
  return async (url, init) => {
    const request = new Request(url, init);
    stats.fetches++;
    const mode = r.int(0, 9);
    const sent = await request.text().catch(() => '');
    if (mode === 0) throw new TypeError('fetch failed');
    if (mode === 1 && !hang) throw new DOMException('The operation was aborted.', 'AbortError');
    if (mode === 1) {
      // No answer until the call's own time limit aborts the request (bounded for calls without one).
      await new Promise((resolve) => {
        const t = setTimeout(resolve, 12);
        request.signal.addEventListener('abort', () => { clearTimeout(t); resolve(); });
      });
      if (request.signal.aborted) throw request.signal.reason;
      return new Response(gen.grantBody(), { status: 200 });
    }
    if (mode === 2) {
      const body = new ReadableStream({
        start(c) { c.enqueue(new TextEncoder().encode('{"code":0,"data":{"access_tok')); c.error(new TypeError('terminated')); },
      });
      return new Response(body, { status: 200 });
    }
    if (mode === 3) {
      // A relay that echoes the request it got, credentials and all.
      const echo = `${request.method} ${request.url} ${request.headers.get('access-token') ?? ''} ${sent}`;
      return new Response(r.chance(0.5) ? echo : JSON.stringify({ code: 40101, message: echo, request_id: echo }), { status: r.pick([200, 400, 500]) });
    }
    if (mode === 4) return new Response(gen.body(), { status: r.int(200, 599) });
    if (mode === 5) return new Response(gen.grantBody(), { status: 200 });
    if (mode === 6) {
      const list = Array.from({ length: r.int(0, 3) }, () => ({ advertiser_id: r.pick(['1', 7123456789012345678, '7000000000000000002', -1]), advertiser_name: hostileString(r) }));
      return new Response(JSON.stringify({ code: 0, data: { list, advertiser_ids: ['1'] } }), { status: 200 });
    }
    return new Response(gen.body(), { status: 200 });
  };
}

/** An option's plain value, without running getters or proxy traps. */
function field(o, key) {
  try {
    const d = o && typeof o === 'object' ? Object.getOwnPropertyDescriptor(o, key) : undefined;
    return d && 'value' in d ? d.value : undefined;
  } catch {
    return undefined;
  }
}

function checkResult(name, result, args) {
  const isString = (v) => typeof v === 'string';
  switch (name) {
    case 'authorizationUrl': {
      assert.ok(isString(result.url) && isString(result.state));
      const [state, redirectUri, appId] = ['state', 'redirectUri', 'appId'].map((k) => field(args[0], k));
      let parsed;
      assert.doesNotThrow(() => { parsed = new URL(result.url); }, `a link the browser cannot open: ${JSON.stringify(result.url)}`);
      const got = parsed.searchParams;
      assert.deepEqual([...got.keys()], ['app_id', 'state', 'redirect_uri']);
      assert.equal(got.get('state'), result.state);
      // Strings cross into Rust as UTF-8: a lone surrogate comes back as U+FFFD.
      if (typeof state === 'string') assert.equal(result.state, state.toWellFormed());
      if (typeof redirectUri === 'string') assert.equal(got.get('redirect_uri'), redirectUri.toWellFormed());
      if (typeof appId === 'string') assert.equal(got.get('app_id'), appId.trim());
      break;
    }
    case 'parseRedirect':
      assert.ok(isString(result.authCode) && result.authCode.length > 0);
      assert.ok(result.state === null || isString(result.state));
      break;
    case 'stateVerdict': assert.ok(['verified', 'not_issued'].includes(result)); break;
    case 'stripRedirectParams': assert.ok(isString(result)); break;
    case 'normalizeApiBase': assert.ok(isString(result) && !result.endsWith('/')); break;
    case 'tokenRequestCurl': assert.ok(result.startsWith("curl -sS -g -X POST '")); break;
    case 'advertisersRequestCurl': assert.ok(result.startsWith("curl -sS -g -X GET '")); break;
    case 'isTikTokAuthError': assert.equal(typeof result, 'boolean'); break;
    case 'parseTokenResponse':
    case 'exchangeAuthCode':
      assert.ok(isString(result.accessToken) && result.accessToken.length > 0);
      assert.ok(Array.isArray(result.advertiserIds) && result.advertiserIds.every(isString));
      assert.ok(Array.isArray(result.scope) && result.scope.every((s) => isString(s) && /^\d+$/.test(s)));
      assert.ok(result.requestId === null || isString(result.requestId));
      assert.ok(Array.isArray(result.warnings) && result.warnings.every(isString));
      break;
    case 'getAdvertisers':
      assert.ok(Array.isArray(result));
      for (const a of result) assert.ok(isString(a.advertiserId) && isString(a.advertiserName));
      break;
    case 'revokeToken': assert.ok(Array.isArray(result) && result.every(isString)); break;
    default: assert.fail(name);
  }
}

/** Known-good calls with exact answers: the module is alive and still right. */
async function knownGood(label) {
  assert.equal(
    api.authorizationUrl({ appId: '7123456789012345678', redirectUri: 'https://me.example/cb/', state: 'xyz' }).url,
    'https://business-api.tiktok.com/portal/auth?app_id=7123456789012345678&state=xyz&redirect_uri=https%3A%2F%2Fme.example%2Fcb%2F',
    label,
  );
  assert.match(api.authorizationUrl({ appId: '1', redirectUri: 'https://a/' }).state, /^[A-Za-z0-9_-]{43}$/, label);
  assert.deepEqual({ ...api.parseRedirect('https://me.example/cb?auth_code=c0de&state=s') }, { authCode: 'c0de', state: 's', codeParam: 'auth_code' }, label);
  const grant = api.parseTokenResponse('{"code":0,"request_id":"r1","data":{"access_token":"c0ffee00aa11bb22cc33dd44ee55ff6677889900","advertiser_ids":[7123456789012345678],"scope":[4,7043626160646815746]}}');
  assert.deepEqual({ ...grant }, { accessToken: 'c0ffee00aa11bb22cc33dd44ee55ff6677889900', advertiserIds: ['7123456789012345678'], scope: ['4', '7043626160646815746'], requestId: 'r1', warnings: [] }, label);
  assert.throws(() => api.parseRedirect('?state=x'), (e) => e.kind === 'missing_auth_code', label);
  // A real exchange with the stand-in, through the real fetch.
  const scenario = `soak${Math.floor(Math.random() * 1e9)}`;
  const authCode = standin.issueCode({ appId: '7000000000000000001', scenario });
  const saved = globalThis.fetch;
  globalThis.fetch = realFetch;
  try {
    const g = await api.exchangeAuthCode({
      appId: '7000000000000000001', secret: 'soak-secret', authCode,
      apiBase: `${standin.url}/s/${scenario}/ok/open_api/v1.3`,
    });
    assert.match(g.accessToken, /^[0-9a-f]{40}$/, label);
    assert.deepEqual(g.advertiserIds, ['7000000000000000001', '7000000000000000002'], label);
    const records = standin.records(scenario).filter((x) => x.method === 'POST');
    assert.equal(records.length, 1, label);
    assert.deepEqual(JSON.parse(records[0].body), { app_id: '7000000000000000001', secret: 'soak-secret', auth_code: authCode });
  } finally {
    globalThis.fetch = saved;
  }
}

test(`${INPUTS} random and hostile inputs through every function: only TikTokAuthErrors, no leaks, module alive`, async () => {
  console.log(`soak seed ${SEED} (SOAK_SEED=${SEED} reproduces this run)`);
  await knownGood('before');
  const r = random(SEED);
  const gen = generators(r);
  const stats = { calls: 0, threw: 0, rejected: 0, returned: 0, fetches: 0, kinds: {}, perFunction: {} };
  const count = (e) => { stats.kinds[e.kind] = (stats.kinds[e.kind] || 0) + 1; };
  globalThis.fetch = hostileFetch(r, gen, stats);
  const memory = [];
  let pending = [];
  const settle = async () => {
    await Promise.all(pending);
    pending = [];
  };
  try {
    const quarter = Math.max(1, Math.floor(INPUTS / 4));
    for (let i = 0; i < INPUTS; i++) {
      if (i > 0 && i % quarter === 0) {
        await settle();
        memory.push(wasm.memory.buffer.byteLength);
      }
      const name = r.pick(NAMES);
      const spec = FUNCTIONS[name];
      // The network calls get mostly good arguments, so that most of them reach the fetch.
      const args = spec.fields ? [gen.options(spec.fields, spec.async ? 0.93 : 0.6)] : [gen.value(spec.arg)];
      if (r.chance(0.01)) args.length = 0; // called with nothing at all
      if (r.chance(0.01)) args.push(hostileValue(r)); // and with too much
      const secrets = credentialsIn(args);
      const context = `${name} #${i} (seed ${SEED})`;
      stats.calls++;
      stats.perFunction[name] = (stats.perFunction[name] || 0) + 1;
      let result;
      try {
        result = api[name](...args);
      } catch (e) {
        assert.ok(!spec.never, `${context} threw ${e}`);
        assert.ok(!spec.async, `${context} threw synchronously instead of rejecting: ${e && e.stack}`);
        stats.threw++;
        assertAuthError(api, e, spec.kinds, secrets, context);
        count(e);
        continue;
      }
      if (spec.async) {
        assert.ok(result instanceof Promise, context);
        pending.push(result.then(
          (value) => { stats.returned++; checkResult(name, value, args); },
          (e) => { stats.rejected++; assertAuthError(api, e, spec.kinds, secrets, context); count(e); },
        ));
        if (pending.length >= 512) await settle();
      } else {
        stats.returned++;
        checkResult(name, result, args);
      }
    }
    await settle();
    memory.push(wasm.memory.buffer.byteLength);
  } finally {
    globalThis.fetch = realFetch;
  }
  console.log(`soak: ${JSON.stringify(stats)}`);
  console.log(`soak: wasm memory at each quarter (bytes): ${memory.join(', ')}`);
  assert.equal(stats.calls, INPUTS);
  assert.ok(stats.fetches > INPUTS / 10, `the network functions were exercised: ${stats.fetches} fetches`);
  assert.ok(stats.returned > INPUTS / 20 && stats.threw + stats.rejected > INPUTS / 4);
  if (INPUTS >= 10_000) assert.deepEqual(Object.keys(stats.kinds).sort(), [...KINDS].sort(), 'every kind was met');
  // Memory settles: no growth per call once the allocator has its working set.
  // Megabyte strings need blocks of their own size class: the working set is large but bounded
  // (leaks are caught exactly by the replay test below).
  assert.ok(memory.at(-1) <= 256 * 1024 * 1024, `wasm memory grew to ${memory.at(-1)} bytes`);
  await knownGood('after');
});

test('the same 50 000 random calls replayed leave the wasm memory exactly as large: nothing leaks', async () => {
  // Each call is awaited before the next, so every round asks the allocator for the same blocks
  // in the same order; after one round its free lists hold all of them. Any growth after that is
  // memory never given back. Memory grows by 64 KiB pages, so this sees a leak of more than a
  // page a round: 16 bytes (the smallest block) in one call of ten is 80 KB.
  const CALLS = 50_000;
  const replaySeed = SEED ^ 0x1eaf;
  const round = async () => {
    const r = random(replaySeed);
    // No time limit can fire: whether one did would depend on the machine, and so would the
    // error built (a timeout or a network error), and the blocks it takes.
    const gen = generators(r, { timeouts: [60_000, 120_000, 300_000, 600_000, undefined] });
    const stats = { fetches: 0 };
    globalThis.fetch = hostileFetch(r, gen, stats, { hang: false });
    try {
      for (let i = 0; i < CALLS; i++) {
        const name = r.pick(NAMES);
        const spec = FUNCTIONS[name];
        const args = spec.fields ? [gen.options(spec.fields, spec.async ? 0.93 : 0.6)] : [gen.value(spec.arg)];
        try {
          const result = api[name](...args);
          if (spec.async) await result.catch(() => {});
        } catch {
          // the soak above checks the errors; this test only counts memory
        }
      }
    } finally {
      globalThis.fetch = realFetch;
    }
    return { memory: wasm.memory.buffer.byteLength, fetches: stats.fetches };
  };
  const rounds = [await round(), await round(), await round()];
  console.log(`replay (seed ${replaySeed}): wasm memory after each round: ${rounds.map((x) => x.memory).join(', ')}; ${rounds[0].fetches} fetches a round`);
  assert.ok(rounds[0].fetches > CALLS / 10, 'the network functions were exercised');
  assert.equal(rounds[1].fetches, rounds[0].fetches, 'the rounds are the same calls');
  assert.equal(rounds[2].memory, rounds[1].memory, 'the wasm memory grew when the same calls ran again');
  await knownGood('after replay');
});

test('200 000 JS exceptions caught inside the module (throwing getters, Proxy traps) leave its memory as it was', () => {
  // Every build runs this, the stable-toolchain one too (SOAK_PKG): a build that keeps JS values
  // in an externref table must not keep a slot of it per caught exception either.
  const traps = new Proxy({}, {
    get() { throw new Error('trap'); },
    getOwnPropertyDescriptor() { throw new Error('trap'); },
  });
  const getter = Object.defineProperty({}, 'appId', { get() { throw new Error('getter'); } });
  const before = wasm.memory.buffer.byteLength;
  const table = wasm.__wbindgen_externrefs?.length;
  for (let i = 0; i < 100_000; i++) {
    for (const options of [traps, getter]) {
      assert.throws(() => api.authorizationUrl(options), (e) => e.kind === 'invalid_input');
    }
  }
  // One page of slack: the first calls may take blocks for the error texts.
  assert.ok(wasm.memory.buffer.byteLength - before <= 65_536,
    `the memory grew by ${wasm.memory.buffer.byteLength - before} bytes`);
  assert.equal(wasm.__wbindgen_externrefs?.length, table, 'the externref table grew');
});

test('authorizationUrl decodes back through the WHATWG URL parser for random inputs', () => {
  const r = random(SEED ^ 0x5eed);
  let accepted = 0;
  for (let i = 0; i < 5000; i++) {
    const appId = r.pick(['', ' ', '\n']) + String(r.int(1, 1e15)) + r.pick(['', ' ', '\t']);
    const redirectUri = `http${r.pick(['', 's'])}://${r.pick(['me.example', '127.0.0.1:8080', '[::1]', 'ü.example'])}/${hostileString(r).replace(/[\s#\0-\x1f\x7f<>"\\^`{|}]/g, '')}`;
    const state = hostileString(r) || 's';
    let result;
    try {
      result = api.authorizationUrl({ appId, redirectUri, state });
    } catch (e) {
      assertAuthError(api, e, set('invalid_input'), [], `authorizationUrl ${JSON.stringify({ appId, redirectUri, state })}`);
      continue;
    }
    accepted++;
    const params = new URL(result.url).searchParams;
    // URLSearchParams turns lone surrogates into U+FFFD, as the crate's UTF-8 does.
    assert.deepEqual([...params], [['app_id', appId.trim()], ['state', state.toWellFormed()], ['redirect_uri', redirectUri.toWellFormed()]]);
  }
  console.log(`authorizationUrl: ${accepted} of 5000 accepted and decoded back`);
  assert.ok(accepted > 1000);
});

test('every kind is reachable and every one follows the contract', async () => {
  const seen = new Set();
  const expect = async (kind, call) => {
    try {
      await call();
      assert.fail(`no ${kind}`);
    } catch (e) {
      assertAuthError(api, e, set(kind), ['S3KRETkind', 'T0KENkind'], kind);
      seen.add(e.kind);
    }
  };
  const base = `${standin.url}/s/kinds`;
  // A generous limit, so that a busy machine never turns another kind into a timeout.
  const o = { appId: '1', secret: 'S3KRETkind', authCode: 'C0DEkind', timeoutMs: 20_000 };
  await expect('invalid_input', () => api.authorizationUrl({ appId: 'x', redirectUri: 'https://a/' }));
  await expect('missing_auth_code', () => api.parseRedirect('https://a/?state=1'));
  await expect('authorization_denied', () => api.parseRedirect('?error=access_denied&error_description=S3KRET'));
  await expect('state_mismatch', () => api.stateVerdict({ expected: 'a', returned: 'b' }));
  await expect('network', () => api.exchangeAuthCode({ ...o, apiBase: `${base}/drop/open_api/v1.3` }));
  await expect('timeout', () => api.exchangeAuthCode({ ...o, timeoutMs: 300, apiBase: `${base}/hang/open_api/v1.3` }));
  await expect('http_status', () => api.exchangeAuthCode({ ...o, apiBase: `${base}/http-503/open_api/v1.3` }));
  await expect('api_error', () => api.getAdvertisers({ ...o, accessToken: 'T0KENkind', apiBase: `${base}/code-40105/open_api/v1.3` }));
  await expect('invalid_response', () => api.revokeToken({ ...o, accessToken: 'T0KENkind', apiBase: `${base}/truncated/open_api/v1.3` }));
  assert.deepEqual([...seen].sort(), [...KINDS].sort());
});
