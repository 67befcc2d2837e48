// A local stand-in for TikTok's authorization portal and the three OAuth endpoints of the
// Marketing API (v1.3), for tests, benchmarks and the localhost demo. No dependencies.
//
// Behaviour is chosen by the URL, not by server state, so concurrent tests never interfere:
//   /portal/auth, /open_api/v1.3/oauth2/...                 scenario "default", behaviour "ok"
//   /s/{scenario}/{behaviour}/portal/auth, .../open_api/...  any scenario, any behaviour
// Issued codes, tokens and request records are kept per scenario. See README.md for the list.

import { createServer, STATUS_CODES } from 'node:http';
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MEDIA_TYPES } from '../../npm/bin/server.mjs';

const API_PREFIX = '/open_api/v1.3';
const MAX_BODY = 1024 * 1024;
// Past this the client is not worth listening to; up to it we drain so it can read our 413.
const MAX_DRAIN = 16 * MAX_BODY;
const CODE_LIFETIME_MS = 60 * 60 * 1000;
const HANG_CAP_MS = 60_000;
const SLOW_CAP_MS = 30_000;
// A long-running demo must not grow without bound.
const MAX_RECORDS_PER_SCENARIO = 5000;
const SCENARIO_RE = /^[A-Za-z0-9_-]{1,64}$/;
const APP_ID_RE = /^\d{1,32}$/;

const DEMO_ADVERTISERS = [
  { id: '7000000000000000001', name: 'Demo Shop EU' },
  { id: '7000000000000000002', name: 'Demo Shop US' },
];
// Both exceed 2^53: a client that parses them as floats gets different digits.
const NUMERIC_ADVERTISERS = [
  { id: '7123456789012345678', name: 'Demo Shop EU' },
  { id: '7000000000000000002', name: 'Demo Shop US' },
];
const BIG_ADVERTISERS = Array.from({ length: 200 }, (_, i) => ({
  id: String(7000000000000000001n + BigInt(i)),
  name: `Demo Shop ${String(i + 1).padStart(3, '0')}`,
}));
// The demo grant's permission ids, as JSON text (the 19-digit id must not pass through a JS number).
// Evidence: a real 2025 answer carried `"scope":[210,200,10,220,30]` (OWOX `res/tiktok_queryresult.png`);
// 4 (Reporting), 100 and 7043626160646815746 ("Ad Insight Report", under Reporting, which the setup
// guide tells users to select) are permission ids from TikTok's "Permission scope" doc as compiled in
// ../shared/tiktok-scopes.json (docs/tiktok.md, "Token answer").
const SCOPE_TEXT = '[4,10,100,200,210,220,30,7043626160646815746]';
// Odd scopes, for clients that must keep the token and warn (docs/tiktok.md, "A spent code is never
// lost"). None of these shapes is evidenced from TikTok: assumed, to test tolerance.
const ODD_SCOPES = {
  // Ids as strings, one of 19 digits.
  'scope-strings': '["4","10","200","7043626160646815746"]',
  // A bare word instead of a list.
  'scope-all': '"all"',
  // Ids that cannot be exact: a fraction and an exponent (never to be rounded), beside good ones.
  'scope-odd': '[4,10,9007199254740993.0,7e3,7043626160646815746]',
};

// TikTok's messages where a real one is known; the others are assumed wordings of the code's meaning
// as TikTok's error-code list describes it (docs/tiktok.md, "Error codes").
const TIKTOK_MESSAGES = {
  40000: 'Bad request.', // assumed
  // 40001 is a permission refusal (TikTok's error list: "No permission to perform the related
  // operation."; PostHog's TikTok Ads tests quote "advertiser does not grant you …" and "The advertiser
  // 123 doesn't exist or has been deleted." under it); docs/tiktok.md, "Error codes". Wording assumed.
  40001: 'No permission to perform the related operation.',
  40002: 'Parameter error. Please see error message for details.', // assumed
  40100: 'Too many requests. Please retry in some time.', // assumed
  40101: 'The app_id, secret or auth_code do not match.', // assumed
  40102: 'Access token has expired.', // assumed
  40104: 'Access token is empty. Pass it in the Access-Token request header.', // assumed
  40105: 'Access token is incorrect or has been revoked.', // assumed
  40107: 'Refreshing is not supported for this access token.', // assumed
  // Real wording, as the public evidence behind docs/tiktok.md, "Error codes", quotes it.
  40110: 'The auth_code is canceled. Please re-authorize and try again with a new auth_code.',
  40113: 'The app is blocked or does not exist.', // assumed
  // 40115: the code belongs to another flow (creator / account holder, or sandbox vs production);
  // docs/tiktok.md, "Error codes" (PostHog pull request 78577). Wording assumed.
  40115: 'The auth_code does not belong to this authorization type.',
  // The codes users report, worded as TikTok's error list describes them (docs/tiktok.md, "Error
  // codes"; 40133 as its example message; 40130's meaning is reported, not verified). Wording assumed.
  40118: 'The app or advertiser is not on the allowlist for accessing the feature.',
  40119: 'Developer and advertisers do not belong to the same company.',
  40124: 'The developer profile is not filled in and approved.',
  40125: "The developer doesn't have the permission.",
  40130: 'The scope is not authorized.',
  40133: 'Advertiser (7000000000000000001)\'s QPS (20) reaches QPS limit 10 for current path, request is temporarily restricted.',
  41000: 'The client IP is on the banned country list.',
  50000: 'System error. Please try again later.', // assumed
  51000: 'Internal service error. Please try again later.', // assumed
  60001: 'The service is under maintenance. Please try again later.', // assumed
};

const XSS = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';

// The shipped server's media types, plus TypeScript sources shown as text to consumer tests.
const MIME_TYPES = { ...MEDIA_TYPES, '.ts': 'text/plain; charset=utf-8' };

// ------------------------------------------------------------------------------ public API

/**
 * Starts the stand-in (and, with `staticDir`, a second listener serving that directory).
 * @returns {Promise<{url: string, staticUrl?: string, records: Function, reset: Function,
 *   issueCode: Function, close: () => Promise<void>}>}
 */
export async function startStandin({
  host = '127.0.0.1',
  port = 0,
  staticDir,
  staticPort = 0,
  staticMount = '/',
  log,
} = {}) {
  const bindHost = host.replace(/^\[(.*)\]$/, '$1');
  if (!isLoopbackHost(bindHost)) {
    throw new Error(`refusing to listen on ${host}: the stand-in binds to loopback addresses only`);
  }
  const ctx = { store: new ScenarioStore(), pending: new Set(), log, staticRecords: [] };
  const listeners = [];
  const closeAll = () => Promise.all(listeners.map((l) => l.close()));

  try {
    const api = await listen((req, res) => handleStandin(ctx, req, res), bindHost, port);
    listeners.push(api);
    const standin = {
      url: originOf(host, api.port),
      records: (scenario = 'default') => ctx.store.records(scenario),
      // What the static listener was asked for: method and request target (path and query) as sent.
      staticRecords: () => [...ctx.staticRecords],
      reset: (scenario) => ctx.store.reset(scenario),
      issueCode: ({ appId, scenario = 'default', ageMs = 0 } = {}) =>
        issueAuthCode(ctx.store, String(scenario), String(appId), ageMs),
      close: once(async () => {
        for (const cancel of [...ctx.pending]) cancel();
        await closeAll();
      }),
    };
    if (staticDir !== undefined) {
      const site = await staticSite(staticDir, staticMount);
      const files = await listen((req, res) => handleStatic(ctx, site, req, res), bindHost, staticPort);
      listeners.push(files);
      standin.staticUrl = originOf(host, files.port) + site.mount;
    }
    return standin;
  } catch (error) {
    await closeAll();
    throw error;
  }
}

// ------------------------------------------------------------------------------ listeners

/** Listens and tracks sockets, so close() can end keep-alive and hanging connections at once. */
function listen(handler, host, port) {
  const server = createServer(handler);
  const sockets = new Set();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve({
        port: server.address().port,
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            for (const socket of sockets) socket.destroy();
          }),
      });
    });
  });
}

function isLoopbackHost(host) {
  if (host === 'localhost' || host === '::1') return true;
  const octets = /^127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  return octets !== null && octets.slice(1).every((o) => Number(o) <= 255);
}

function originOf(host, port) {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  return `http://${bare.includes(':') ? `[${bare}]` : bare}:${port}`;
}

function once(fn) {
  let result;
  return () => (result ??= fn());
}

// ------------------------------------------------------------------------------ state

class ScenarioStore {
  #scenarios = new Map();

  get(name) {
    let scenario = this.#scenarios.get(name);
    if (!scenario) {
      scenario = { records: [], codes: new Map(), tokens: new Map() };
      this.#scenarios.set(name, scenario);
    }
    return scenario;
  }

  record(name, entry) {
    const { records } = this.get(name);
    records.push(entry);
    if (records.length > MAX_RECORDS_PER_SCENARIO) records.shift();
  }

  records(name) {
    return [...(this.#scenarios.get(name)?.records ?? [])];
  }

  reset(name) {
    if (name === undefined || name === null) this.#scenarios.clear();
    else this.#scenarios.delete(name);
  }
}

function issueAuthCode(store, scenario, appId, ageMs = 0) {
  if (!SCENARIO_RE.test(scenario)) throw new TypeError(`invalid scenario name: ${scenario}`);
  if (!APP_ID_RE.test(appId)) throw new TypeError('appId must be a string of decimal digits');
  const authCode = randomHex(20);
  store.get(scenario).codes.set(authCode, { appId, issuedAt: Date.now() - ageMs, used: false });
  return authCode;
}

function randomHex(bytes) {
  return randomBytes(bytes).toString('hex');
}

/** Shaped like TikTok's: a UTC timestamp followed by random hex. */
function requestId() {
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  return stamp + randomHex(9).toUpperCase();
}

// ------------------------------------------------------------------------------ routing

async function handleStandin(ctx, req, res) {
  // When the request's head arrived, on the wall clock with sub-millisecond precision (benchmarks
  // compare it with the page's click time).
  const arrivedAt = performance.timeOrigin + performance.now();
  const target = parseTarget(req.url);
  logWhenDone(ctx, 'standin', req, res, target?.pathname ?? '(bad request target)');
  // Browsers silently resend a request whose *reused* connection closes without an answer, which
  // would turn one `drop` into two recorded requests. A fresh connection per request prevents it.
  res.setHeader('Connection', 'close');
  try {
    if (!target) return sendText(res, 400, 'text/plain; charset=utf-8', 'Bad request target\n');
    if (target.pathname === '/__standin' || target.pathname.startsWith('/__standin/')) {
      return await handleControl(ctx, req, res, target);
    }
    const base = resolveBase(target.pathname);
    const body = await readBody(req);
    if (body.aborted) return;
    ctx.store.record(base.scenario, {
      method: req.method,
      path: target.pathname,
      query: queryObject(target.searchParams),
      headers: { ...req.headers },
      body: body.text,
      behaviour: base.behaviourName,
      at: Date.now(),
      arrivedAt,
    });
    if (base.behaviour?.cors !== false) setCorsHeaders(res, req.headers.origin ?? '*', req);
    if (body.tooLarge) return sendEnvelope(res, 40002, 'Request body exceeds 1 MiB.', {}, 413);
    if (req.method === 'OPTIONS') return sendText(res, 204);
    if (!base.behaviour) {
      return sendEnvelope(res, 404, `Unknown stand-in behaviour "${base.behaviourName}".`, {}, 404);
    }
    return await dispatch(ctx, req, res, { ...base, target, body: body.text });
  } catch (error) {
    if (!res.headersSent) sendText(res, 500, 'text/plain; charset=utf-8', 'stand-in error\n');
    else res.destroy();
    ctx.log?.(`[standin] internal error: ${error?.message ?? error}`);
  }
}

/** Parses the request target without letting "//host/..." be read as another authority. */
function parseTarget(rawUrl) {
  if (!rawUrl?.startsWith('/')) return null;
  try {
    return new URL(`http://standin${rawUrl}`);
  } catch {
    return null;
  }
}

/** Splits "/s/{scenario}/{behaviour}/rest" into its parts; anything else is the default base. */
function resolveBase(pathname) {
  const match = /^\/s\/([^/]+)\/([^/]+)(\/.*)?$/.exec(pathname);
  if (match && SCENARIO_RE.test(match[1])) {
    const behaviourName = safeDecode(match[2]) ?? match[2];
    return {
      scenario: match[1],
      behaviourName,
      behaviour: parseBehaviour(behaviourName),
      basePath: `/s/${match[1]}/${match[2]}`,
      route: match[3] ?? '',
    };
  }
  return {
    scenario: 'default',
    behaviourName: 'ok',
    behaviour: parseBehaviour('ok'),
    basePath: '',
    route: pathname,
  };
}

/**
 * Kinds: "ok" runs the TikTok-like logic (with codes and tokens); "shape" answers a fixed,
 * oddly shaped body without looking at the request; the rest are transport faults.
 */
function parseBehaviour(name) {
  const simple = {
    ok: { kind: 'ok' },
    nocors: { kind: 'ok', cors: false },
    nonjson: { kind: 'nonjson' },
    truncated: { kind: 'truncated' },
    hang: { kind: 'hang' },
    drop: { kind: 'drop' },
    'numeric-ids': { kind: 'shape', shape: 'numeric-ids' },
    // TikTok-like, with an odd scope in the grant (see ODD_SCOPES; assumed shapes).
    'scope-strings': { kind: 'ok', scopeText: ODD_SCOPES['scope-strings'] },
    'scope-all': { kind: 'ok', scopeText: ODD_SCOPES['scope-all'] },
    'scope-odd': { kind: 'ok', scopeText: ODD_SCOPES['scope-odd'] },
    // TikTok-like, but revoke answers `data: {}`: the revoke answer's shape is unverified
    // (docs/tiktok.md, "Revoke"), so a client must not depend on `advertiser_ids`.
    'revoke-bare': { kind: 'ok', revokeBare: true },
    // The portal redirects with `code` only (plus `scopes=`), as another TikTok flow (Login Kit /
    // account holder) does (OWOX `res/tiktok_auth_code.png` shows the advertiser flow sends both
    // names); such a code does not exchange here: 40115 (assumed, per docs/tiktok.md, "Error codes").
    'code-only': { kind: 'ok', codeOnly: true },
    html: { kind: 'shape', shape: 'html' },
    'wrong-types': { kind: 'shape', shape: 'wrong-types' },
    echo: { kind: 'echo' },
    'echo-text': { kind: 'echo', text: true },
    big: { kind: 'shape', shape: 'big' },
  };
  if (Object.hasOwn(simple, name)) return simple[name];
  const [, kind, digits] = /^(code|http|slow|redirect)-(\d{1,9})$/.exec(name) ?? [];
  const n = Number(digits);
  if (kind === 'redirect' && n >= 300 && n <= 308) return { kind: 'redirect', status: n };
  if (kind === 'code') return { kind: 'code', code: n };
  if (kind === 'http' && n >= 400 && n <= 599) return { kind: 'http', status: n };
  if (kind === 'slow' && n <= SLOW_CAP_MS) return { kind: 'slow', ms: n };
  return null;
}

const API_ROUTES = {
  [`${API_PREFIX}/oauth2/access_token/`]: { method: 'POST', endpoint: 'access_token' },
  [`${API_PREFIX}/oauth2/advertiser/get/`]: { method: 'GET', endpoint: 'advertiser_get' },
  [`${API_PREFIX}/oauth2/revoke_token/`]: { method: 'POST', endpoint: 'revoke_token' },
};

async function dispatch(ctx, req, res, request) {
  const { route } = request;
  // `/marketing_api/auth` is the legacy portal older integrations still use (airbyte-platform
  // `TikTokMarketingOAuthFlow.kt`; docs/tiktok.md, "Legacy portal"); it behaves the same here.
  if (route === '/portal/auth' || route === '/marketing_api/auth' || route === '/portal/auth/decide') {
    if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, 'GET, HEAD');
    const params = request.target.searchParams;
    return route === '/portal/auth/decide'
      ? portalDecide(ctx, res, request, params)
      : portalAuth(ctx, res, request, params);
  }
  // Like the real gateway: ".../access_token" without the slash is simply not a route.
  const api = Object.hasOwn(API_ROUTES, route) ? API_ROUTES[route] : null;
  if (!api) return sendEnvelope(res, 404, `Not Found: ${route || '/'}`, {}, 404);
  if (req.method !== api.method) return methodNotAllowed(res, api.method);
  return runBehaviour(ctx, req, res, request, api.endpoint);
}

function methodNotAllowed(res, allow) {
  res.setHeader('Allow', allow);
  return sendEnvelope(res, 405, 'Method Not Allowed', {}, 405);
}

// ------------------------------------------------------------------------------ behaviours

async function runBehaviour(ctx, req, res, request, endpoint) {
  const behaviour = request.behaviour;
  switch (behaviour.kind) {
    case 'code':
      return sendEnvelope(res, behaviour.code, tiktokMessage(behaviour.code), {});
    case 'http': {
      const reason = STATUS_CODES[behaviour.status] ?? 'Error';
      const html = `<html><body><h1>${behaviour.status} ${reason}</h1></body></html>`;
      return sendText(res, behaviour.status, 'text/html; charset=utf-8', html);
    }
    case 'redirect': {
      // Not TikTok's behaviour (its API answers in place; assumed, never observed to redirect):
      // a hostile or misconfigured relay sending the client on, with the body (307/308) and the
      // Access-Token header, to the same endpoint of the `ok` behaviour, which records what
      // arrives there.
      const location = `/s/${request.scenario}/ok${request.route}${request.target.search}`;
      res.setHeader('Location', location);
      return sendText(res, behaviour.status, 'text/plain; charset=utf-8', `Moved to ${location}\n`);
    }
    case 'echo': {
      // Not TikTok's behaviour: a relay or gateway quoting the credentials it received, in the
      // encodings such software uses (as sent, upper case, upper-case hex, percent-encoded,
      // base64, base64url), in `message` and `request_id` (code 40101), or in a 500 text body.
      const sent = echoedCredentials(req, request);
      const forms = sent.flatMap((c) => [
        c, c.toUpperCase(), Buffer.from(c).toString('hex').toUpperCase(), encodeURIComponent(c),
        [...Buffer.from(c)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join(''),
        Buffer.from(c).toString('base64'), Buffer.from(`x${c}`).toString('base64url'),
      ]);
      const text = `You sent ${forms.join(' and ')}.`;
      if (behaviour.text) return sendText(res, 500, 'text/plain; charset=utf-8', text);
      const id = sent[0] ? Buffer.from(sent[0]).toString('hex').toUpperCase() : requestId();
      return sendRaw(res, JSON.stringify({ code: 40101, message: text, request_id: id, data: {} }));
    }
    case 'nonjson':
      return sendText(res, 200, 'text/html; charset=utf-8', LOGIN_PAGE_HTML);
    case 'truncated': {
      const full = envelopeText(0, 'OK', successDataText(endpoint, DEMO_ADVERTISERS));
      return sendRaw(res, full.slice(0, Math.floor(full.length / 2)));
    }
    case 'shape':
      return sendRaw(res, shapedAnswer(behaviour.shape, endpoint));
    case 'drop':
      return req.socket.destroy();
    case 'hang':
      await waitUnlessGone(ctx, res, HANG_CAP_MS);
      return res.destroy();
    case 'slow':
      if (!(await waitUnlessGone(ctx, res, behaviour.ms))) return undefined;
      break;
    case 'ok':
      break;
    default:
      throw new Error(`unhandled behaviour ${behaviour.kind}`);
  }
  const scenario = ctx.store.get(request.scenario);
  const handlers = {
    access_token: exchangeAuthCode,
    advertiser_get: getAdvertisers,
    revoke_token: revokeToken,
  };
  const answer = handlers[endpoint](scenario, req, request);
  const message = answer.message ?? tiktokMessage(answer.code);
  if (answer.dataText !== undefined) return sendRaw(res, envelopeText(answer.code, message, answer.dataText));
  return sendEnvelope(res, answer.code, message, answer.data ?? {});
}

/** The secret, code and token a request carried (body, query or Access-Token header). */
function echoedCredentials(req, request) {
  let body = {};
  try { body = JSON.parse(request.body || '{}') ?? {}; } catch { /* not JSON */ }
  const query = request.target.searchParams;
  return [body.secret, query.get('secret'), body.auth_code, body.access_token, req.headers['access-token']]
    .filter((c) => typeof c === 'string' && c !== '');
}

/**
 * Resolves true after `ms`, or false as soon as the client goes away or close() is called,
 * so no timer outlives the connection it was for.
 */
function waitUnlessGone(ctx, res, ms) {
  return new Promise((resolve) => {
    const finish = (elapsed) => {
      clearTimeout(timer);
      ctx.pending.delete(cancel);
      res.off('close', cancel);
      resolve(elapsed);
    };
    const cancel = () => finish(false);
    const timer = setTimeout(() => finish(true), ms);
    ctx.pending.add(cancel);
    res.on('close', cancel);
  });
}

function tiktokMessage(code) {
  return TIKTOK_MESSAGES[code] ?? `Request failed with code ${code}.`;
}

/** JSON text of `data` on success; ids are strings unless `idsAsNumbers`. */
function successDataText(endpoint, advertisers, idsAsNumbers = false) {
  // Hand-written so numeric ids keep all 19 digits on the wire (JSON.stringify cannot).
  const id = (a) => (idsAsNumbers ? a.id : JSON.stringify(a.id));
  const ids = `[${advertisers.map(id).join(',')}]`;
  switch (endpoint) {
    case 'access_token':
      return `{"access_token":"${randomHex(20)}","advertiser_ids":${ids},"scope":${SCOPE_TEXT}}`;
    case 'advertiser_get':
      return `{"list":[${advertisers
        .map((a) => `{"advertiser_id":${id(a)},"advertiser_name":${JSON.stringify(a.name)}}`)
        .join(',')}]}`;
    default:
      return `{"advertiser_ids":${ids}}`;
  }
}

function shapedAnswer(shape, endpoint) {
  switch (shape) {
    case 'numeric-ids':
      return envelopeText(0, 'OK', successDataText(endpoint, NUMERIC_ADVERTISERS, true));
    case 'big':
      return envelopeText(0, 'OK', successDataText(endpoint, BIG_ADVERTISERS));
    case 'html':
      return envelopeText(40105, `Access token is invalid. ${XSS}`, '{}', `${requestId()}${XSS}`);
    default: {
      const wrongTypes = {
        access_token: { access_token: 1234567890, advertiser_ids: DEMO_ADVERTISERS[0].id, scope: [4, 10] },
        advertiser_get: { list: [{ advertiser_id: true, advertiser_name: 42 }] },
        revoke_token: { advertiser_ids: DEMO_ADVERTISERS[0].id },
      };
      return envelopeText(0, 'OK', JSON.stringify(wrongTypes[endpoint]));
    }
  }
}

const LOGIN_PAGE_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Log in | TikTok For Business</title></head>
<body><form action="/login" method="post"><h1>Log in</h1>
<label>Email <input name="email" type="email"></label>
<label>Password <input name="password" type="password"></label>
<button type="submit">Log in</button></form></body></html>
`;

// ------------------------------------------------------------------------------ TikTok-like endpoints
// Each returns { code, message?, data? }; the caller wraps it in the envelope.

function exchangeAuthCode(scenario, req, { body, behaviour }) {
  const fields = jsonBodyFields(req, body, ['app_id', 'secret', 'auth_code']);
  if (fields.error) return { code: 40002, message: fields.error };
  const grant = scenario.codes.get(fields.auth_code);
  // Single use, one hour (TikTok docs copy; OWOX): docs/tiktok.md, "auth_code".
  if (!grant || grant.used || Date.now() - grant.issuedAt > CODE_LIFETIME_MS) return { code: 40110 };
  // A code of another flow (see `code-only`) is refused without being spent (assumed).
  if (grant.otherFlow) return { code: 40115 };
  if (grant.appId !== fields.app_id) {
    return { code: 40101, message: 'The app_id does not match the app the auth_code was issued to.' };
  }
  grant.used = true;
  const accessToken = randomHex(20);
  const advertiserIds = DEMO_ADVERTISERS.map((a) => a.id);
  scenario.tokens.set(accessToken, { appId: fields.app_id, advertiserIds });
  // Shape of a real answer: OWOX `res/tiktok_queryresult.png` (docs/tiktok.md, "Token answer").
  const scopeText = behaviour.scopeText ?? SCOPE_TEXT;
  return {
    code: 0,
    message: 'OK',
    dataText: `{"access_token":${JSON.stringify(accessToken)},"advertiser_ids":${JSON.stringify(advertiserIds)},"scope":${scopeText}}`,
  };
}

function getAdvertisers(scenario, req, { target }) {
  const fields = requiredStrings(
    Object.fromEntries(['app_id', 'secret'].map((k) => [k, target.searchParams.get(k) ?? undefined])),
    ['app_id', 'secret'],
  );
  if (fields.error) return { code: 40002, message: fields.error };
  const accessToken = req.headers['access-token'];
  if (!accessToken) return { code: 40104 };
  const token = scenario.tokens.get(accessToken);
  if (!token) return { code: 40105 };
  if (token.appId !== fields.app_id) {
    return { code: 40101, message: 'The app_id does not match the app the access token was issued to.' };
  }
  const list = DEMO_ADVERTISERS.filter((a) => token.advertiserIds.includes(a.id)).map((a) => ({
    advertiser_id: a.id,
    advertiser_name: a.name,
  }));
  return { code: 0, message: 'OK', data: { list } };
}

function revokeToken(scenario, req, { body, behaviour }) {
  const fields = jsonBodyFields(req, body, ['app_id', 'secret', 'access_token']);
  if (fields.error) return { code: 40002, message: fields.error };
  const token = scenario.tokens.get(fields.access_token);
  if (!token) return { code: 40105 };
  if (token.appId !== fields.app_id) {
    return { code: 40101, message: 'The app_id does not match the app the access token was issued to.' };
  }
  scenario.tokens.delete(fields.access_token);
  // The answer's shape is unverified (third-party clients only, docs/tiktok.md, "Revoke"):
  // `advertiser_ids` is assumed; `revoke-bare` answers without it.
  if (behaviour.revokeBare) return { code: 0, message: 'OK', data: {} };
  return { code: 0, message: 'OK', data: { advertiser_ids: token.advertiserIds } };
}

/** Validates a JSON request body the way TikTok reports it: code 40002 naming the field. */
function jsonBodyFields(req, body, names) {
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (mediaType !== 'application/json') return { error: 'Content-Type must be application/json' };
  let parsed;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { error: 'Request body is not valid JSON.' };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { error: 'Request body must be a JSON object.' };
  }
  return requiredStrings(parsed, names);
}

function requiredStrings(source, names) {
  const fields = {};
  for (const name of names) {
    const value = source[name];
    if (value === undefined || value === null) {
      return { error: `${name}: Missing data for required field.` };
    }
    if (typeof value !== 'string') return { error: `${name}: Not a valid string.` };
    if (value === '') return { error: `${name}: Field may not be empty.` };
    fields[name] = value;
  }
  return fields;
}

// ------------------------------------------------------------------------------ portal

function portalAuth(ctx, res, request, params) {
  const problem = portalProblem(params);
  if (problem) return sendPortalError(res, problem);
  if (params.get('autoapprove') === '1') return approve(ctx, res, request, params);
  const page = consentPage(request.basePath, params);
  return sendText(res, 200, 'text/html; charset=utf-8', page, PORTAL_HEADERS);
}

function portalDecide(ctx, res, request, params) {
  const problem = portalProblem(params);
  if (problem) return sendPortalError(res, problem);
  const decision = params.get('decision');
  if (decision === 'approve') return approve(ctx, res, request, params);
  if (decision === 'deny') {
    // Assumed, not evidenced: TikTok may only show a toast and never redirect on a denial
    // (docs/tiktok.md, "Denial": no public sample). Kept so clients' `error=` handling is exercised.
    return redirect(res, withQuery(params.get('redirect_uri'), {
      error: 'access_denied',
      error_description: 'The user denied the authorization request.',
      state: params.get('state'),
    }));
  }
  return sendPortalError(res, 'decision must be "approve" or "deny".');
}

function approve(ctx, res, request, params) {
  const authCode = issueAuthCode(ctx.store, request.scenario, params.get('app_id'));
  if (request.behaviour?.codeOnly) {
    // Another TikTok flow's redirect: `code` without `auth_code`, often with `scopes=`
    // (docs/tiktok.md, "Redirect"); the parameter set and the scope names here are assumed.
    ctx.store.get(request.scenario).codes.get(authCode).otherFlow = true;
    return redirect(res, withQuery(params.get('redirect_uri'), {
      code: authCode,
      scopes: 'user.info.basic',
      state: params.get('state'),
    }));
  }
  // As TikTok sends it: `?auth_code=X&code=X&state=S`, both names with the same value (a real 2025
  // redirect: OWOX `res/tiktok_auth_code.png`; docs/tiktok.md, "Redirect").
  return redirect(res, withQuery(params.get('redirect_uri'), {
    auth_code: authCode,
    code: authCode,
    state: params.get('state'),
  }));
}

function portalProblem(params) {
  if (!APP_ID_RE.test(params.get('app_id') ?? '')) return 'app_id must be a string of decimal digits.';
  const redirectUri = params.get('redirect_uri') ?? '';
  if (!isHttpUrl(redirectUri)) return 'redirect_uri must be an absolute http:// or https:// URL.';
  return null;
}

function isHttpUrl(text) {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Appends params to a URL's query, keeping its existing query bytes and any fragment after it.
 * encodeURIComponent rather than URLSearchParams: "%20" decodes the same everywhere, "+" does not.
 */
function withQuery(target, params) {
  const url = new URL(target);
  const extra = Object.entries(params)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
  const existing = url.search.slice(1);
  url.search = existing ? `${existing}&${extra}` : extra;
  return url.href;
}

function redirect(res, location) {
  res.setHeader('Location', location);
  const link = `<a href="${escapeHtml(location)}">Continue</a>`;
  const html = `<!doctype html><title>Redirecting</title>${link}\n`;
  return sendText(res, 302, 'text/html; charset=utf-8', html, PORTAL_HEADERS);
}

// The portal pages embed nothing external; this policy makes sure of it.
const PORTAL_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
  'Cache-Control': 'no-store',
};

function sendPortalError(res, problem) {
  const page = portalPage(
    'TikTok stand-in — authorization error',
    `<h1>Cannot authorize</h1><p class="error">${escapeHtml(problem)}</p>`,
  );
  return sendText(res, 400, 'text/html; charset=utf-8', page, PORTAL_HEADERS);
}

function consentPage(basePath, params) {
  const appId = escapeHtml(params.get('app_id'));
  const redirectUri = escapeHtml(params.get('redirect_uri'));
  const hidden = ['app_id', 'state', 'redirect_uri']
    .filter((name) => params.has(name))
    .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(params.get(name))}">`)
    .join('\n      ');
  return portalPage(
    'TikTok stand-in — authorize app',
    `<h1>Authorize app</h1>
    <p>App <strong>${appId}</strong> asks for access to your advertiser accounts
      (Demo Shop EU, Demo Shop US).</p>
    <dl>
      <dt>App ID</dt><dd><code>${appId}</code></dd>
      <dt>Redirect URI</dt><dd><code>${redirectUri}</code></dd>
    </dl>
    <form method="get" action="${escapeHtml(`${basePath}/portal/auth/decide`)}">
      ${hidden}
      <button id="approve" type="submit" name="decision" value="approve">Authorize</button>
      <button id="deny" type="submit" name="decision" value="deny">Deny</button>
    </form>`,
  );
}

function portalPage(title, main) {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(title)}</title>
  <style>
    :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
    body { margin: 0; padding: 2rem 1rem; }
    main { max-width: 32rem; margin: auto; }
    .notice { font-size: .85rem; padding: .4rem .6rem; border: 1px dashed currentColor; }
    dd code { word-break: break-all; }
    button { font: inherit; padding: .5rem 1.2rem; margin-right: .5rem; cursor: pointer; }
    #approve { background: #fe2c55; color: #fff; border: 0; border-radius: 4px; }
    .error { color: #d22; }
  </style>
</head>
<body>
  <main>
    <p class="notice">Local stand-in for TikTok's authorization page. Nothing here talks to TikTok.</p>
    ${main}
  </main>
</body>
</html>
`;
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// ------------------------------------------------------------------------------ control endpoints

async function handleControl(ctx, req, res, target) {
  setCorsHeaders(res, '*', req);
  if (req.method === 'OPTIONS') return sendText(res, 204);
  const route = target.pathname.slice('/__standin'.length);
  const scenario = target.searchParams.get('scenario');
  if (scenario !== null && !SCENARIO_RE.test(scenario)) {
    return sendJson(res, 400, { error: 'scenario must match [A-Za-z0-9_-]{1,64}' });
  }
  const expected = { '/requests': 'GET', '/health': 'GET', '/reset': 'POST', '/issue': 'POST' }[route];
  if (!expected) return sendJson(res, 404, { error: `no control endpoint ${target.pathname}` });
  if (req.method !== expected && !(expected === 'GET' && req.method === 'HEAD')) {
    res.setHeader('Allow', expected);
    return sendJson(res, 405, { error: `use ${expected}` });
  }
  switch (route) {
    case '/health':
      return sendJson(res, 200, { ok: true });
    case '/requests':
      return sendJson(res, 200, ctx.store.records(scenario ?? 'default'));
    case '/reset':
      ctx.store.reset(scenario ?? undefined);
      return sendJson(res, 200, { ok: true });
    default: {
      const appId = target.searchParams.get('app_id') ?? '';
      if (!APP_ID_RE.test(appId)) return sendJson(res, 400, { error: 'app_id must be decimal digits' });
      const ageMs = Number(target.searchParams.get('age_ms') ?? 0) || 0;
      const authCode = issueAuthCode(ctx.store, scenario ?? 'default', appId, ageMs);
      return sendJson(res, 200, { auth_code: authCode });
    }
  }
}

// ------------------------------------------------------------------------------ HTTP helpers

function setCorsHeaders(res, origin, req) {
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Vary', 'Origin');
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
  res.setHeader('Access-Control-Allow-Headers', 'Content-Type, Access-Token');
  // Zero, so every test run sees (and records) its own preflight.
  res.setHeader('Access-Control-Max-Age', '0');
  // Chromium asks this when a page on a public address calls loopback; harmless otherwise.
  if (req.headers['access-control-request-private-network'] === 'true') {
    res.setHeader('Access-Control-Allow-Private-Network', 'true');
  }
}

/** Reads the whole body (up to the cap) as text; past the cap, drains it and flags tooLarge. */
function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    let size = 0;
    let tooLarge = Number(req.headers['content-length']) > MAX_BODY;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
      if (size > MAX_DRAIN) req.destroy();
    });
    req.on('end', () => {
      resolve({ text: tooLarge ? '' : Buffer.concat(chunks).toString('utf8'), tooLarge });
    });
    req.on('close', () => resolve({ aborted: true }));
    req.on('error', () => resolve({ aborted: true }));
  });
}

/** Query parameters as an object; a repeated name becomes an array of its values. */
function queryObject(searchParams) {
  const query = {};
  for (const [key, value] of searchParams) {
    if (!Object.hasOwn(query, key)) query[key] = value;
    else query[key] = [].concat(query[key], value);
  }
  return query;
}

function safeDecode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

function envelopeText(code, message, dataText, id = requestId()) {
  const head = JSON.stringify({ code, message, request_id: id });
  // `data` is spliced in as text so hand-written 19-digit numbers keep all their digits.
  return `${head.slice(0, -1)},"data":${dataText}}`;
}

function sendEnvelope(res, code, message, data, status = 200) {
  return sendRaw(res, envelopeText(code, message, JSON.stringify(data)), status);
}

function sendRaw(res, jsonText, status = 200) {
  return sendText(res, status, 'application/json; charset=utf-8', jsonText);
}

function sendJson(res, status, value) {
  return sendText(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

function sendText(res, status, contentType, text = '', headers = {}) {
  const body = Buffer.from(text, 'utf8');
  if (contentType) res.setHeader('Content-Type', contentType);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (status !== 204) res.setHeader('Content-Length', body.length);
  res.setHeader('Cache-Control', 'no-store');
  res.writeHead(status);
  res.end(status === 204 ? undefined : body);
}

/** One line per request, written when it ends: method, path, status. Never query, headers or body. */
function logWhenDone(ctx, listener, req, res, pathname) {
  if (!ctx.log) return;
  res.on('close', () => {
    const status = res.headersSent ? res.statusCode : 'no answer';
    ctx.log(`[${listener}] ${req.method} ${pathname} ${status}`);
  });
}

// ------------------------------------------------------------------------------ static listener

async function staticSite(dir, mount) {
  const root = await fsp.realpath(path.resolve(dir)).catch(() => null);
  const stat = root && (await fsp.stat(root));
  if (!stat?.isDirectory()) throw new Error(`static directory not found: ${dir}`);
  const normalized = `/${mount}/`.replace(/\/+/g, '/');
  const dotSegment = normalized.split('/').some((s) => s === '..' || s === '.');
  if (dotSegment || !/^\/([A-Za-z0-9._~-]+\/)*$/.test(normalized)) {
    throw new Error(`invalid static mount: ${mount}`);
  }
  return { root, mount: normalized };
}

async function handleStatic(ctx, site, req, res) {
  const [rawPath, rawQuery] = splitTarget(req.url);
  logWhenDone(ctx, 'static', req, res, rawPath);
  ctx.staticRecords.push({ method: req.method, target: req.url, at: Date.now() });
  if (ctx.staticRecords.length > MAX_RECORDS_PER_SCENARIO) ctx.staticRecords.shift();
  try {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendText(res, 405, 'text/plain; charset=utf-8', 'Method Not Allowed\n');
    }
    const query = rawQuery === undefined ? '' : `?${rawQuery}`;
    // The page is often reached as ".../tiktok?auth_code=...": keep the query across the redirect.
    if (`${rawPath}/` === site.mount) return staticRedirect(res, site.mount + query);
    if (!rawPath.startsWith(site.mount)) return notFound(res);
    const file = await resolveStaticFile(site.root, rawPath.slice(site.mount.length));
    if (file === null) return notFound(res);
    if (file.directory) {
      // Relative URLs in index.html only resolve right from the slash form.
      if (!rawPath.endsWith('/')) return staticRedirect(res, `${rawPath}/${query}`);
      return serveFile(res, path.join(file.path, 'index.html'));
    }
    return serveFile(res, file.path);
  } catch (error) {
    if (!res.headersSent) sendText(res, 500, 'text/plain; charset=utf-8', 'static server error\n');
    ctx.log?.(`[static] internal error: ${error?.message ?? error}`);
  }
}

function splitTarget(rawUrl = '') {
  const end = rawUrl.search(/[?#]/);
  if (end === -1) return [rawUrl];
  return [rawUrl.slice(0, end), rawUrl[end] === '?' ? rawUrl.slice(end + 1).split('#')[0] : undefined];
}

/**
 * Maps a URL path under the mount to a file inside root, or null. Each segment is decoded on its
 * own, so "%2e%2e", "%2f", "\" and NUL are refused before they ever reach the file system.
 */
async function resolveStaticFile(root, relative) {
  const segments = [];
  for (const raw of relative.split('/')) {
    const segment = safeDecode(raw);
    if (segment === null || segment === '.' || segment === '..' || /[/\\\0]/.test(segment)) return null;
    if (segment !== '') segments.push(segment);
  }
  const candidate = path.join(root, ...segments);
  if (!isInside(root, candidate)) return null;
  // realpath so a symlink inside the directory cannot point outside it.
  const real = await fsp.realpath(candidate).catch(() => null);
  if (real === null || !isInside(root, real)) return null;
  const stat = await fsp.stat(real);
  return { path: real, directory: stat.isDirectory() };
}

function isInside(root, candidate) {
  return candidate === root || candidate.startsWith(root + path.sep);
}

async function serveFile(res, file) {
  const body = await fsp.readFile(file).catch(() => null);
  if (body === null) return notFound(res);
  res.writeHead(200, {
    'Content-Type': MIME_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': body.length,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(body);
}

function staticRedirect(res, location) {
  res.setHeader('Location', location);
  return sendText(res, 301, 'text/plain; charset=utf-8', `Moved to ${location}\n`);
}

function notFound(res) {
  const html = '<!doctype html><title>404 Not Found</title><h1>404 Not Found</h1>\n';
  return sendText(res, 404, 'text/html; charset=utf-8', html);
}

// ------------------------------------------------------------------------------ CLI

function parseArgs(argv) {
  const names = {
    '--host': 'host',
    '--port': 'port',
    '--static': 'staticDir',
    '--static-port': 'staticPort',
    '--static-mount': 'staticMount',
  };
  const options = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s);
    if (flag === '--help' || flag === '-h') return { help: true };
    if (!Object.hasOwn(names, flag)) throw new Error(`unknown argument: ${argv[i]}`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    options[names[flag]] = value;
  }
  for (const key of ['port', 'staticPort']) {
    if (key in options) {
      if (!/^\d{1,5}$/.test(options[key]) || Number(options[key]) > 65535) {
        throw new Error(`invalid port: ${options[key]}`);
      }
      options[key] = Number(options[key]);
    }
  }
  return options;
}

const USAGE = `usage: node tests/standin/server.mjs [--host 127.0.0.1] [--port N]
                                   [--static DIR] [--static-port N] [--static-mount /sub/]`;

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  // Scripts often read just the first line (`| head -1`); a closed pipe must not stop the server.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
  let standin;
  try {
    standin = await startStandin({ ...options, log: (line) => process.stderr.write(`${line}\n`) });
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
    return;
  }
  const ready = { standin: standin.url, ...(standin.staticUrl ? { static: standin.staticUrl } : {}) };
  const bases = `auth base ${standin.url}, API base ${standin.url}${API_PREFIX}`;
  const human = standin.staticUrl
    ? `Open ${standin.staticUrl} in a browser (${bases}); ` +
      'any App ID of digits and any non-empty secret work. Ctrl-C stops.'
    : `TikTok stand-in ready: ${bases}. Ctrl-C stops.`;
  process.stdout.write(`${JSON.stringify(ready)}\n${human}\n`);
  const stop = () => standin.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main();
}
