// A static server for the redirect page: it serves a fixed list of files read once at start (no
// directory listing, nothing outside that list, whatever the path says), GET and HEAD only, with
// the headers a host of the page should send; and, unless turned off, the relay for the page's
// three TikTok calls under /open_api/v1.3/ (relay.mjs), for the page's own origin only. Node ≥ 18.7,
// no dependencies.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { extname } from 'node:path';
import { customConfig, isLoopbackHost, readConfig, UsageError } from './page.mjs';
import { createRelay, MAX_BODY_BYTES, RELAY_PREFIX, TIKTOK_API } from './relay.mjs';

/** The name the page shows for the relay: where its calls go. */
export const RELAY_ENVIRONMENT = 'Calls go through this computer to TikTok';

export const MEDIA_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

// Sent with every answer. The page sets its own Content-Security-Policy and referrer policy with
// <meta> tags; frame-ancestors only works as a header.
export const SECURITY_HEADERS = {
  'Content-Security-Policy': "frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  // No other site may embed the page's files or the relay's answers (<script>, <img>, no-cors).
  'Cross-Origin-Resource-Policy': 'same-origin',
  // A rebuilt page shows on the next reload.
  'Cache-Control': 'no-cache',
};

const MAX_PAGE_BYTES = 64 * 1024 * 1024;

/** The address to open (and to register with TikTok) for a server listening on host:port. */
export function pageUrl(host, port) {
  const h = host.replace(/^\[(.*)\]$/, '$1');
  // localhost reaches 127.0.0.1 and ::1 alike, and is the address TikTok's guides use.
  if (h === '127.0.0.1' || h === '::1' || h === 'localhost') return `http://localhost:${port}/`;
  if (h === '0.0.0.0' || h === '::') return `http://localhost:${port}/`;
  return `http://${h.includes(':') ? `[${h}]` : h}:${port}/`;
}

/** 127.0.0.0/8 and ::1 as addresses (not names). */
function isLoopbackAddress(address) {
  if (isIP(address) === 4) return address.startsWith('127.');
  return /^(::1|0:0:0:0:0:0:0:1|::ffff:127\.[\d.]+)$/i.test(address);
}

/**
 * Serves `files` (URL path → file, see pageFiles) on host:port; "/" is index.html. Unless
 * `allowRemote`, only loopback addresses are accepted, and only requests naming a loopback
 * Host (so a page on another site cannot reach this one by DNS rebinding). A --host ending in
 * ".localhost" counts as loopback only if every address it resolves to (`lookup`) is.
 * With `relay` ({ upstream, log }; null turns it off) the page's three TikTok calls go through
 * this server, for the page's own origin only, and a page that opens on TikTok's API opens on it.
 * Resolves once listening, with the URL to open and `close()`.
 */
export async function startServer({
  files, host = '127.0.0.1', port = 8080, allowRemote = false, relay = null, lookup = dnsLookup,
}) {
  let loopback = isLoopbackHost(host);
  const bare = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (loopback && bare.endsWith('.localhost')) {
    // The name is the system resolver's to answer, which may send it anywhere.
    let addresses = [];
    try {
      addresses = (await lookup(bare, { all: true })).map((a) => a.address);
    } catch {
      throw new UsageError(`--host ${host} does not resolve to an address of this computer`);
    }
    const outside = addresses.filter((a) => !isLoopbackAddress(a));
    if (addresses.length === 0 || outside.length) {
      loopback = false;
      if (!allowRemote) {
        throw new UsageError(`--host ${host} resolves to ${outside.join(', ') || 'nothing'}, not only to this computer; ` +
          'use localhost, 127.0.0.1 or ::1, or add --allow-remote if that is what you want');
      }
    }
  }
  if (!loopback && !allowRemote) {
    throw new UsageError(`--host ${host} would let other computers load the page; ` +
      'use localhost, 127.0.0.1 or ::1, or add --allow-remote if that is what you want');
  }
  const bodies = new Map();
  let total = 0;
  for (const [path, file] of files) {
    const body = readFileSync(file);
    total += body.length;
    if (total > MAX_PAGE_BYTES) throw new UsageError(`the page folder holds more than ${MAX_PAGE_BYTES >> 20} MiB: is it the right folder?`);
    bodies.set(path, body);
  }
  // The origins the page has here: only they may use the relay (set once the port is known).
  const own = new Set();
  const site = { bodies, loopback, relay: null, config: null };
  if (relay) {
    site.relay = createRelay({
      upstream: relay.upstream ?? TIKTOK_API,
      allowOrigin: (origin) => own.has(origin),
      log: relay.log ?? (() => {}),
    });
    const source = bodies.get('/config.js')?.toString('utf8');
    // A page that opens on TikTok's API opens on the relay instead; one built for another base
    // (build-page --api-base) is served as it was built.
    const { environments = {}, defaultEnvironment } = readConfig(source);
    const opensOnTikTok = environments[defaultEnvironment]?.replace(/\/+$/, '') + '/' === TIKTOK_API;
    // config.js naming the relay on the origin the page was loaded from (a loopback Host).
    if (opensOnTikTok) site.config = (hostHeader) => Buffer.from(customConfig(source, {
      apiBase: `http://${hostHeader}${RELAY_PREFIX.slice(0, -1)}`,
      environment: RELAY_ENVIRONMENT,
    }));
  }
  if (site.config && bare.endsWith('.localhost')) {
    throw new UsageError(`--host ${host}: the page admits its relay on plain http only at localhost, 127.0.0.1 or [::1]; ` +
      'use one of those, or --no-relay');
  }
  const server = createServer((req, res) => {
    handle(req, res, site).catch((e) => {
      if (!res.headersSent) reply(req, res, 500, 'Internal error.');
      else res.destroy();
      // The one log's form (the relay's "relay <call> <status> <detail>"), with the error's name only.
      relay?.log?.(`server - 500 ${e?.name ?? 'Error'}`);
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', (e) => {
      if (e.code === 'EADDRINUSE') reject(new UsageError(`port ${port} on ${host} is in use: stop what runs there, or choose another with --port`));
      else if (e.code === 'EACCES') reject(new UsageError(`not allowed to listen on ${host}:${port}: choose a port above 1023 with --port`));
      else if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND') reject(new UsageError(`--host ${host} is not an address of this computer`));
      else reject(e);
    });
    server.listen(port, host.replace(/^\[(.*)\]$/, '$1'), resolve);
  });
  const actualPort = server.address().port;
  for (const h of ['localhost', '127.0.0.1', '[::1]', bare.includes(':') ? `[${bare}]` : bare]) {
    if (isLoopbackHost(h)) own.add(`http://${h}:${actualPort}`);
  }
  return {
    server,
    port: actualPort,
    url: pageUrl(host, actualPort),
    close: () => new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections?.();
    }),
  };
}

async function handle(req, res, { bodies, loopback, relay, config }) {
  const host = hostName(req.headers.host);
  if (loopback && !isLoopbackHost(host)) {
    return reply(req, res, 400, 'This server answers only to localhost.');
  }
  const target = req.url || '';
  if (relay && target.startsWith('/open_api/')) return forward(req, res, relay);
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return reply(req, res, 405, 'Only GET and HEAD are served here.', { Allow: 'GET, HEAD' });
  }
  if (!target.startsWith('/')) return reply(req, res, 400, 'Bad request target.');
  const rawPath = target.split(/[?#]/, 1)[0];
  // Browsers never send these for the page's files: an encoded slash or backslash, a backslash,
  // NUL, or a "." / ".." segment, plain or encoded. Refused before any lookup.
  let path;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return reply(req, res, 400, 'Bad percent-encoding in the path.');
  }
  if (/%(2f|5c|00)/i.test(rawPath) || /[\\\0]/.test(path) || path.split('/').some((s) => s === '.' || s === '..')) {
    return reply(req, res, 400, 'Bad path.');
  }
  // The page served with its relay calls it by default, on the very origin it was loaded from:
  // a name the page's policy does not admit for plain http (a.localhost) is told where it works.
  let body;
  if (config && path === '/config.js' && isLoopbackHost(host)) {
    try {
      body = config(req.headers.host);
    } catch {
      return reply(req, res, 400, `The page and its relay work on localhost, 127.0.0.1 or [::1] only: open http://localhost${/:\d+$/.exec(req.headers.host)?.[0] ?? ''}/ instead.`);
    }
  } else {
    body = bodies.get(path === '/' ? '/index.html' : path);
  }
  if (body === undefined) return reply(req, res, 404, 'Not found. The page is at /.');
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': MEDIA_TYPES[extname(path).toLowerCase()] ?? (path === '/' ? MEDIA_TYPES['.html'] : 'application/octet-stream'),
    'Content-Length': body.length,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}

/**
 * Hands a request to the relay as a web Request (the headers it reads, and the body as a stream
 * it pulls from). Nothing of the body is read before the relay asks for it, which it does only
 * once the path, the Origin, the method and the media type pass: a refused request is answered
 * at once, whatever its body, and the relay stops reading one byte past its limit.
 */
async function forward(req, res, relay) {
  const headers = new Headers();
  for (const name of ['origin', 'sec-fetch-site', 'content-type', 'content-length', 'access-token']) {
    const value = req.headers[name];
    if (typeof value === 'string') headers.set(name, value);
  }
  const body = req.method !== 'GET' && req.method !== 'HEAD' ? pulledBody(req) : undefined;
  const answer = await relay(new Request(`http://relay${req.url}`, { method: req.method, headers, body, duplex: 'half' }));
  const bytes = Buffer.from(await answer.arrayBuffer());
  const out = {};
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) out[name.toLowerCase()] = value;
  for (const [name, value] of answer.headers) out[name] = value; // lower case already
  out['content-length'] = bytes.length;
  // A body left unread (the request refused, or past the limit): the connection ends with this answer.
  const unread = !req.complete;
  if (unread) out.connection = 'close';
  res.writeHead(answer.status, out);
  res.end(req.method === 'HEAD' ? undefined : bytes, () => {
    if (unread) req.destroy();
  });
}

/**
 * The request's body as a web stream that reads from the socket only when pulled (one chunk per
 * read, none ahead); cancelling it leaves the rest unread.
 */
function pulledBody(req) {
  req.pause();
  let open = true;
  return new ReadableStream({
    start(controller) {
      req.on('data', (chunk) => {
        req.pause();
        if (open) controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
      });
      req.once('end', () => {
        if (open) controller.close();
        open = false;
      });
      req.once('error', (e) => {
        if (open) controller.error(e);
        open = false;
      });
    },
    pull() {
      req.resume();
    },
    cancel() {
      open = false;
      req.pause();
    },
  }, { highWaterMark: 0 });
}

/** The host name of a Host header ("localhost:8080", "[::1]:8080"), or '' when there is none. */
function hostName(header) {
  if (!header) return '';
  const m = /^(\[[^\]]*\]|[^:]*)(:\d+)?$/.exec(header);
  return m ? m[1] : '';
}

function reply(req, res, status, text, headers = {}) {
  const body = Buffer.from(text + '\n');
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    ...headers,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': body.length,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
