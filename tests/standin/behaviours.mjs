// The behaviours chosen by `/s/{scenario}/{behaviour}/`: TikTok error codes, odd shapes,
// transport faults and echoes, run in front of the TikTok-like endpoints (README.md lists them).

import { STATUS_CODES } from 'node:http';
import { randomHex, requestId } from './state.mjs';
import { envelopeText, sendEnvelope, sendRaw, sendText } from './http.mjs';
import { tiktokMessage } from './messages.mjs';
import {
  DEMO_ADVERTISERS,
  SCOPE_TEXT,
  exchangeAuthCode,
  getAdvertisers,
  revokeToken,
} from './api.mjs';

const HANG_CAP_MS = 60_000;
const SLOW_CAP_MS = 30_000;

// Both exceed 2^53: a client that parses them as floats gets different digits.
const NUMERIC_ADVERTISERS = [
  { id: '7123456789012345678', name: 'Demo Shop EU' },
  { id: '7000000000000000002', name: 'Demo Shop US' },
];
const BIG_ADVERTISERS = Array.from({ length: 200 }, (_, i) => ({
  id: String(7000000000000000001n + BigInt(i)),
  name: `Demo Shop ${String(i + 1).padStart(3, '0')}`,
}));

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

const XSS = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>';

/**
 * Kinds: "ok" runs the TikTok-like logic (with codes and tokens); "shape" answers a fixed,
 * oddly shaped body without looking at the request; the rest are transport faults.
 */
export function parseBehaviour(name) {
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

// ------------------------------------------------------------------------------ behaviours

export async function runBehaviour(ctx, req, res, request, endpoint) {
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
