// A static server for the redirect page and nothing else: it serves a fixed list of files read
// once at start (no directory listing, nothing outside that list, whatever the path says),
// GET and HEAD only, with the headers a host of the page should send. Node ≥ 18, no dependencies.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { isLoopbackHost, UsageError } from './page.mjs';

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

/**
 * Serves `files` (URL path → file, see pageFiles) on host:port; "/" is index.html. Unless
 * `allowRemote`, only loopback addresses are accepted, and only requests naming a loopback
 * Host (so a page on another site cannot reach this one by DNS rebinding).
 * Resolves once listening, with the URL to open and `close()`.
 */
export async function startServer({ files, host = '127.0.0.1', port = 8080, allowRemote = false }) {
  const loopback = isLoopbackHost(host);
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
  const server = createServer((req, res) => handle(req, res, bodies, loopback));
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

function handle(req, res, bodies, loopback) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return reply(req, res, 405, 'Only GET and HEAD are served here.', { Allow: 'GET, HEAD' });
  }
  if (loopback && !isLoopbackHost(hostName(req.headers.host))) {
    return reply(req, res, 400, 'This server answers only to localhost.');
  }
  const target = req.url || '';
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
  const body = bodies.get(path === '/' ? '/index.html' : path);
  if (body === undefined) return reply(req, res, 404, 'Not found. The page is at /.');
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'Content-Type': MEDIA_TYPES[extname(path).toLowerCase()] ?? (path === '/' ? MEDIA_TYPES['.html'] : 'application/octet-stream'),
    'Content-Length': body.length,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
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
