// The static listener: a directory served under a mount, without leaving it.

import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { MEDIA_TYPES } from '../../npm/bin/server.mjs';
import { MAX_RECORDS_PER_SCENARIO } from './state.mjs';
import { logWhenDone, safeDecode, sendText } from './http.mjs';

// The shipped server's media types, plus TypeScript sources shown as text to consumer tests.
const MIME_TYPES = { ...MEDIA_TYPES, '.ts': 'text/plain; charset=utf-8' };

// ------------------------------------------------------------------------------ static listener

export async function staticSite(dir, mount) {
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

export async function handleStatic(ctx, site, req, res) {
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
