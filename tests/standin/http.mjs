// HTTP plumbing shared by every route: CORS headers, bounded body reading, TikTok's JSON envelope,
// plain answers and the request log.

import { requestId } from './state.mjs';

const MAX_BODY = 1024 * 1024;
// Past this the client is not worth listening to; up to it we drain so it can read our 413.
const MAX_DRAIN = 16 * MAX_BODY;

export function setCorsHeaders(res, origin, req) {
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
export function readBody(req) {
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
export function queryObject(searchParams) {
  const query = {};
  for (const [key, value] of searchParams) {
    if (!Object.hasOwn(query, key)) query[key] = value;
    else query[key] = [].concat(query[key], value);
  }
  return query;
}

export function safeDecode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

export function envelopeText(code, message, dataText, id = requestId()) {
  const head = JSON.stringify({ code, message, request_id: id });
  // `data` is spliced in as text so hand-written 19-digit numbers keep all their digits.
  return `${head.slice(0, -1)},"data":${dataText}}`;
}

export function sendEnvelope(res, code, message, data, status = 200) {
  return sendRaw(res, envelopeText(code, message, JSON.stringify(data)), status);
}

export function sendRaw(res, jsonText, status = 200) {
  return sendText(res, status, 'application/json; charset=utf-8', jsonText);
}

export function sendJson(res, status, value) {
  return sendText(res, status, 'application/json; charset=utf-8', JSON.stringify(value));
}

export function sendText(res, status, contentType, text = '', headers = {}) {
  const body = Buffer.from(text, 'utf8');
  if (contentType) res.setHeader('Content-Type', contentType);
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (status !== 204) res.setHeader('Content-Length', body.length);
  res.setHeader('Cache-Control', 'no-store');
  res.writeHead(status);
  res.end(status === 204 ? undefined : body);
}

/** One line per request, written when it ends: method, path, status. Never query, headers or body. */
export function logWhenDone(ctx, listener, req, res, pathname) {
  if (!ctx.log) return;
  res.on('close', () => {
    const status = res.headersSent ? res.statusCode : 'no answer';
    ctx.log(`[${listener}] ${req.method} ${pathname} ${status}`);
  });
}
