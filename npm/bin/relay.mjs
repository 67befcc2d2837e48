// The relay for TikTok's three token calls (docs/tiktok.md, "CORS"): a page cannot read an answer that
// TikTok sends without CORS headers, so a runtime that is not a browser forwards them. It decides
// nothing: exactly three calls, only for allowed origins, only the body, Content-Type and
// Access-Token, TikTok's status and body back unchanged (up to 1 MiB, as JSON or plain text). One web-standard handler (Request in, Response
// out, the global fetch) serves the local server (server.mjs) and the Cloudflare Worker
// (worker/worker.mjs). No packages: TikTok's base, paths and timeout are the crate's, from
// ../facts.js (generated from its constants).
import {
  ACCESS_TOKEN_PATH, ADVERTISER_GET_PATH, DEFAULT_TIMEOUT_MS, MAX_ANSWER_BYTES, PRODUCTION_API_BASE,
  REVOKE_TOKEN_PATH,
} from '../facts.js';

/** TikTok's Marketing API base, where the three calls go: the crate's PRODUCTION_API_BASE. */
export const TIKTOK_API = PRODUCTION_API_BASE + '/';

/** The path prefix the relay answers under, as TikTok's own: /open_api/v1.3/. */
export const RELAY_PREFIX = new URL(TIKTOK_API).pathname;

/** The three calls the page makes, by path below the prefix (docs/tiktok.md, "Exchange", "Advertiser lookup", "Revoke"). */
const CALLS = {
  [ACCESS_TOKEN_PATH]: { method: 'POST', name: 'access_token' },
  [ADVERTISER_GET_PATH]: { method: 'GET', name: 'advertiser_get' },
  [REVOKE_TOKEN_PATH]: { method: 'POST', name: 'revoke_token' },
};

/** The page's bodies are a few hundred bytes: anything larger is not one of its calls. */
export const MAX_BODY_BYTES = 64 * 1024;

// TikTok's answers are a few KB, and the package refuses one over MAX_ANSWER_BYTES (1 MiB) unread:
// past it the relay stops reading (502) rather than buffer whatever an upstream sends.
export { MAX_ANSWER_BYTES };

/** Headers a preflight may ask for: the two the page sends. */
const ALLOWED_HEADERS = 'Content-Type, Access-Token';

/**
 * The upstream base as a URL string ending in "/": TikTok's, or for tests another https URL or
 * a plain-http one on this computer. Anything else is refused (throws a TypeError).
 */
export function checkUpstream(text) {
  let url;
  try {
    url = new URL(text);
  } catch {
    throw new TypeError(`the relay upstream must be a URL, got ${JSON.stringify(String(text))}`);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const loopback = host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new TypeError('the relay upstream must use https:// (http:// only for localhost or 127.0.0.1)');
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new TypeError('the relay upstream must not contain credentials, a query or a fragment');
  }
  return url.href.endsWith('/') ? url.href : url.href + '/';
}

/**
 * A handler `(request) => Promise<Response>` for the three calls.
 * - `allowOrigin(origin)`: whether a page on `origin` may use the relay.
 * - `cors`: answer preflights and add Access-Control-Allow-Origin, for allowed origins only
 *   (the Worker, which the page calls cross-origin; the local server is same-origin).
 * - `log(line)`: one line per call: the call, the HTTP status and TikTok's `code`.
 */
export function createRelay({
  upstream = TIKTOK_API,
  allowOrigin,
  cors = false,
  log = () => {},
  timeoutMs = DEFAULT_TIMEOUT_MS,
} = {}) {
  const base = checkUpstream(upstream);
  if (typeof allowOrigin !== 'function') throw new TypeError('createRelay needs allowOrigin(origin)');

  return async function relay(request) {
    const path = new URL(request.url).pathname;
    const call = path.startsWith(RELAY_PREFIX) && Object.hasOwn(CALLS, path.slice(RELAY_PREFIX.length))
      ? CALLS[path.slice(RELAY_PREFIX.length)] : null;
    const name = call ? call.name : 'unknown';
    const origin = request.headers.get('Origin');
    const allowed = origin !== null && origin !== 'null' && allowOrigin(origin) === true;
    const corsHeaders = cors && allowed ? { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' } : cors ? { Vary: 'Origin' } : {};
    const answer = (status, text, headers = {}) => {
      log(`relay ${name} ${status} ${text.split(':')[0]}`);
      return plain(status, text, { ...corsHeaders, ...headers });
    };

    if (!call) return answer(404, `Not found: this relay forwards only TikTok's ${ACCESS_TOKEN_PATH}, ${ADVERTISER_GET_PATH} and ${REVOKE_TOKEN_PATH}.`);
    // A website the user visits may send a request here too (a form, text/plain, no-cors): only
    // the allowed origins get anything forwarded. Browsers send Origin with every POST and every
    // cross-origin request; a same-origin GET may come without one, then Sec-Fetch-Site says so.
    // A Worker serves no page, so nothing is same-origin to it: it needs an allowed Origin.
    const sameOriginGet = !cors && origin === null && request.method === 'GET' &&
      request.headers.get('Sec-Fetch-Site') === 'same-origin';
    if (!allowed && !sameOriginGet) return answer(403, 'Forbidden: this relay serves only the token page it was set up for.');
    if (request.method === 'OPTIONS' && cors) {
      log(`relay ${name} 204 preflight`);
      return new Response(null, {
        status: 204,
        headers: {
          ...corsHeaders,
          'Access-Control-Allow-Methods': call.method,
          'Access-Control-Allow-Headers': ALLOWED_HEADERS,
          'Access-Control-Max-Age': '600',
        },
      });
    }
    if (request.method !== call.method) return answer(405, `Method not allowed: use ${call.method}.`, { Allow: call.method });

    const headers = {};
    let body;
    if (call.method === 'POST') {
      const type = request.headers.get('Content-Type') ?? '';
      if (!/^application\/json\s*(;|$)/i.test(type)) return answer(415, 'Unsupported media type: the body must be JSON (Content-Type: application/json).');
      body = await readCapped(request, MAX_BODY_BYTES);
      if (body === null) return answer(413, `Payload too large: at most ${MAX_BODY_BYTES >> 10} KiB.`);
      headers['Content-Type'] = type;
    }
    const token = request.headers.get('Access-Token');
    if (token !== null) headers['Access-Token'] = token;
    const target = base + path.slice(RELAY_PREFIX.length) + (call.method === 'GET' ? new URL(request.url).search : '');

    let upstreamAnswer, bytes;
    try {
      const signal = AbortSignal.timeout(timeoutMs);
      // Never follows a redirect (the secret would go to wherever it points), never retries.
      upstreamAnswer = await fetch(target, { method: call.method, headers, body, redirect: 'manual', signal });
      if (upstreamAnswer.status >= 300 && upstreamAnswer.status < 400) {
        await upstreamAnswer.body?.cancel();
        return answer(502, `Bad gateway: TikTok answered with a redirect (HTTP ${upstreamAnswer.status}), which the relay does not follow.`);
      }
      bytes = await readCapped(upstreamAnswer, MAX_ANSWER_BYTES);
      if (bytes === null) return answer(502, 'Bad gateway: TikTok\'s answer is over 1 MiB, far more than any of its answers; the relay did not read it.');
    } catch (e) {
      if (e?.name === 'TimeoutError' || e?.name === 'AbortError') {
        return answer(504, `Gateway timeout: TikTok did not answer within ${Math.round(timeoutMs / 1000)} s.`);
      }
      return answer(502, 'Bad gateway: TikTok could not be reached from the relay (no network, DNS or TLS failure).');
    }
    // The local relay answers on the page's own origin: whatever an upstream sends is never a
    // document there (no HTML, no script), only JSON, or else plain text, and sandboxed.
    const type = upstreamAnswer.headers.get('Content-Type') ?? '';
    const out = {
      ...corsHeaders,
      'Cache-Control': 'no-store',
      'Content-Type': /^application\/json\s*(;|$)/i.test(type) ? type : 'text/plain; charset=utf-8',
      'Content-Security-Policy': 'sandbox',
      'X-Content-Type-Options': 'nosniff',
    };
    log(`relay ${name} ${upstreamAnswer.status} code=${tiktokCode(bytes)}`);
    // A status that has no body (204, 205, 304) is passed on without one: a Response refuses both.
    const bodiless = [204, 205, 304].includes(upstreamAnswer.status);
    return new Response(bodiless ? null : bytes, { status: upstreamAnswer.status, headers: out });
  };
}

/** The body of a request or response, or null once it passes `limit` bytes (read no further). */
async function readCapped(request, limit) {
  const declared = Number(request.headers.get('Content-Length'));
  if (declared > limit) {
    // Not read, and let go: the connection it came on is not held open.
    await request.body?.cancel().catch(() => {});
    return null;
  }
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  return all;
}

/** TikTok's envelope `code` for the log: a number, or "-" when the body is not such an envelope. */
function tiktokCode(bytes) {
  try {
    const code = JSON.parse(new TextDecoder().decode(bytes))?.code;
    return Number.isSafeInteger(code) ? String(code) : '-';
  } catch {
    return '-';
  }
}

function plain(status, text, headers) {
  return new Response(text + '\n', {
    status,
    headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}
