#!/usr/bin/env node
// A static host for the benchmark's network rows: serves a folder as GitHub Pages, Netlify or an
// nginx with `gzip_static` do: text and WebAssembly gzip-compressed when the browser accepts it
// (compressed once, at level 9), with Content-Length, a short max-age and Vary: Accept-Encoding.
//   node bench/serve-gzip.mjs DIR     prints {"url":"http://127.0.0.1:PORT/"} once it listens
import { createServer } from 'node:http';
import { readFileSync, statSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { MEDIA_TYPES } from '../npm/bin/server.mjs'; // the same media types as the shipped server

const COMPRESSED = new Set(['.html', '.js', '.mjs', '.css', '.json', '.wasm', '.svg']);

const root = resolve(process.argv[2] || '.');
const cache = new Map();

function load(file) {
  let entry = cache.get(file);
  if (!entry) {
    const body = readFileSync(file);
    entry = { body, gzip: COMPRESSED.has(extname(file)) ? gzipSync(body, { level: 9 }) : null };
    cache.set(file, entry);
  }
  return entry;
}

const server = createServer((req, res) => {
  const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  let file = resolve(join(root, path));
  if (file !== root && !file.startsWith(root + sep)) return void res.writeHead(404).end();
  try {
    if (statSync(file).isDirectory()) {
      if (!path.endsWith('/')) return void res.writeHead(301, { Location: path + '/' }).end();
      file = join(file, 'index.html');
    }
    const { body, gzip } = load(file);
    const useGzip = gzip && /\bgzip\b/.test(req.headers['accept-encoding'] || '');
    const headers = {
      'Content-Type': MEDIA_TYPES[extname(file)] || 'application/octet-stream',
      'Content-Length': (useGzip ? gzip : body).length,
      'Cache-Control': 'max-age=600',
      'X-Content-Type-Options': 'nosniff',
    };
    if (gzip) headers.Vary = 'Accept-Encoding';
    if (useGzip) headers['Content-Encoding'] = 'gzip';
    res.writeHead(200, headers);
    res.end(req.method === 'HEAD' ? undefined : useGzip ? gzip : body);
  } catch {
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
  }
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ url: `http://127.0.0.1:${server.address().port}/` }) + '\n');
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
