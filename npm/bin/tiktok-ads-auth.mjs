#!/usr/bin/env node
// `npx tiktok-ads-auth serve` and `npx tiktok-ads-auth build-page DIR`: the redirect page that
// ships in this package (page/), served on this computer or written out for a static host.
// Not reachable from the package's `exports`: code that imports the library never loads it.
import {
  copyFileSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { customConfig, isLoopbackHost, pageFiles, UsageError } from './page.mjs';
import { checkUpstream } from './relay.mjs';
import { startServer } from './server.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const PACKAGE = resolve(HERE, '..');

const HELP = `Get a TikTok Marketing API access token from your own computer: the token page of
tiktok-ads-auth, served locally or written out for a static host. It talks to TikTok (or to
a relay you name) and to nothing else.

Usage:
  npx tiktok-ads-auth serve [--port 8080] [--host 127.0.0.1] [--no-relay]
  npx tiktok-ads-auth build-page DIR [--api-base URL] [--environment NAME]

serve                serves the page on http://localhost:8080 until Ctrl-C, and prints the
                     redirect URL to register for your app in the TikTok developer portal.
                     The page's calls to TikTok go through this computer (a relay on the
                     page's own address), as TikTok's API answers browsers without CORS
  --no-relay         serve the page alone: it calls TikTok from the browser
  --port N           the port (default 8080; 0 picks a free one). The registered URL must match it
  --host ADDRESS     where to listen (default 127.0.0.1); only this computer's own addresses
                     (localhost, 127.x.x.x, ::1) unless --allow-remote
  --allow-remote     allow a --host that other computers can reach
  --dir DIR          serve a page written by build-page instead of the one in this package

build-page DIR       writes the page's files into DIR, to upload to any static host (https)
  --api-base URL     an API base of your own, e.g. a relay: https://relay.example.com/open_api/v1.3
                     (https only, except localhost); the page offers it first, TikTok's too
  --environment NAME the name the page shows for --api-base (default: its host); without
                     --api-base, which of the page's environments it opens on (production)
  --force            write into DIR even if it is not empty (the page's files are replaced)

help, -h, --help     this help (through npx: npx tiktok-ads-auth help)
version, --version   the package version (through npx: npx tiktok-ads-auth version)
`;

/** The page bundled in the package: page/, with the package's one copy of the .wasm. */
function bundledPage() {
  const dir = join(PACKAGE, 'page');
  const wasm = join(PACKAGE, 'tiktok_ads_auth_bg.wasm');
  const own = join(dir, 'pkg', 'tiktok_ads_auth_bg.wasm');
  // build-npm leaves the page's pkg/ empty: the library's .wasm is the same file.
  const overrides = !existsSync(own) && existsSync(wasm) ? { '/pkg/tiktok_ads_auth_bg.wasm': wasm } : {};
  if (!existsSync(dir)) throw new UsageError(`this copy of tiktok-ads-auth has no built page (${dir}); serve --dir DIR serves one you built`);
  return pageFiles(dir, overrides);
}

/**
 * Reads `argv` with Node's `util.parseArgs` against `options` (its own option specs), holding its
 * tokens, in order, to this command's words: { positional: [...], name: value or true, help }.
 */
function parse(argv, options) {
  const spec = { ...options, help: { type: 'boolean', short: 'h' } };
  const { tokens } = parseArgs({ args: argv, options: spec, strict: false, allowPositionals: true, tokens: true });
  const o = { positional: [] };
  for (const token of tokens) {
    if (token.kind === 'positional') o.positional.push(token.value);
    else if (token.kind === 'option' && token.name === 'help') o.help = true;
    else if (token.kind !== 'option' || !Object.hasOwn(options, token.name) || token.rawName !== '--' + token.name) {
      throw new UsageError(`unknown option ${token.rawName ?? argv[token.index]} (see --help)`);
    } else if (options[token.name].type === 'boolean') {
      if (token.inlineValue) throw new UsageError(`${token.rawName} takes no value`);
      o[token.name] = true;
    } else {
      if (token.value === undefined) throw new UsageError(`${token.rawName} needs a value`);
      o[token.name] = token.value;
    }
  }
  return o;
}

const VALUE = { type: 'string' };
const FLAG = { type: 'boolean' };

function port(text) {
  if (text === undefined) return 8080;
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) throw new UsageError(`--port must be a number from 0 to 65535, got ${JSON.stringify(text)}`);
  return Number(text);
}

async function serve(argv) {
  const o = parse(argv, { port: VALUE, host: VALUE, 'allow-remote': FLAG, dir: VALUE, 'no-relay': FLAG });
  if (o.help) return process.stdout.write(HELP);
  if (o.positional.length) throw new UsageError(`serve takes no argument ${JSON.stringify(o.positional[0])} (see --help)`);
  const files = o.dir ? pageFiles(resolve(o.dir)) : bundledPage();
  const host = o.host ?? '127.0.0.1';
  const out = process.stdout;
  let relay = null;
  if (!o['no-relay']) {
    // For tests only: another upstream than TikTok (https, or http on this computer).
    const upstream = process.env.TIKTOK_ADS_AUTH_RELAY_UPSTREAM || undefined;
    if (upstream !== undefined) {
      try {
        checkUpstream(upstream);
      } catch (e) {
        throw new UsageError(`TIKTOK_ADS_AUTH_RELAY_UPSTREAM: ${e.message}`);
      }
    }
    relay = { upstream, log: (line) => out.writable && out.write(line + '\n') };
  }
  const site = await startServer({ files, host, port: port(o.port), allowRemote: Boolean(o['allow-remote']), relay });
  // The site's root without the trailing slash (http://localhost:8080), as TikTok's setup guides
  // register it and as the page proposes it (its authorization link uses that one). Whether TikTok
  // compares the two forms exactly is unknown (docs/tiktok.md, "Redirect URLs"), so both are offered.
  const address = site.url.replace(/\/$/, '');
  out.write(relay
    ? `Serving the TikTok token page on ${address} (Ctrl-C stops it). Its calls go through this computer to TikTok.\n\n`
    : `Serving the TikTok token page on ${address} (Ctrl-C stops it). It talks to TikTok itself.\n\n`);
  out.write(`  Advertiser redirect URL to register:  ${address}\n`);
  out.write(`  and also, with the final slash:       ${address}/\n\n`);
  out.write('Next: in the TikTok developer portal, add both to your app\'s "Advertiser redirect URL"s (an app\n' +
    'takes up to 10, and whether TikTok tells the two apart is not known), then open the first in your\n' +
    'browser and click "Authorize with TikTok".\n');
  if (!isLoopbackHost(host)) {
    out.write(`\nListening on ${host}:${site.port}: other computers may load the page too. From them, register\n` +
      'and open the address they reach this computer by (TikTok redirects only to a registered URL).\n');
  }
  // Ctrl-C, or a terminal that went away: stdout may be closed by then.
  out.on('error', () => {});
  const stop = () => {
    if (out.writable) out.write('\nStopped.\n');
    site.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

/** Where `path` really is, symbolic links followed; the part that does not exist yet kept as given. */
function realPath(path) {
  const missing = [];
  for (let at = path; ; at = dirname(at)) {
    try {
      return join(realpathSync(at), ...missing);
    } catch (e) {
      if (e.code !== 'ENOENT' || dirname(at) === at) throw e;
      missing.unshift(basename(at));
    }
  }
}

/** True when writing into `dir` would write into this package's own page (or over its .wasm). */
function insidePackage(dir) {
  const real = realPath(dir);
  const pkg = realPath(PACKAGE);
  const page = join(pkg, 'page');
  return real === pkg || real === page || real.startsWith(page + sep);
}

function buildPage(argv) {
  const o = parse(argv, { 'api-base': VALUE, environment: VALUE, force: FLAG });
  if (o.help) return process.stdout.write(HELP);
  if (o.positional.length !== 1) throw new UsageError('build-page needs one folder: npx tiktok-ads-auth build-page DIR');
  const out = resolve(o.positional[0]);
  const refuseInside = (dir) => {
    if (insidePackage(dir)) throw new UsageError(`${out} is inside this package: choose a folder of your own`);
  };
  refuseInside(out);
  const files = bundledPage();
  const config = customConfig(readFileSync(files.get('/config.js'), 'utf8'), {
    apiBase: o['api-base'] ?? null,
    environment: o.environment ?? null,
  });
  if (existsSync(out) && readdirSync(out).length > 0 && !o.force) {
    throw new UsageError(`${out} is not empty: choose a new folder, or add --force to replace the page's files in it`);
  }
  // A folder in DIR that links into this package is refused before anything is written; a file
  // that links elsewhere is replaced, never written through.
  const targetOf = (path) => join(out, ...path.split('/'));
  for (const path of files.keys()) refuseInside(dirname(targetOf(path)));
  // Nor is any folder inside DIR that is a link (pkg -> elsewhere would receive the .wasm there).
  for (const path of files.keys()) {
    const parts = path.split('/').filter(Boolean).slice(0, -1);
    for (let i = 1; i <= parts.length; i++) {
      const folder = join(out, ...parts.slice(0, i));
      if (lstatSync(folder, { throwIfNoEntry: false })?.isSymbolicLink()) {
        throw new UsageError(`${folder} is a link: build-page writes only into real folders; remove it, or choose a new folder`);
      }
    }
  }
  for (const [path, file] of files) {
    const target = targetOf(path);
    mkdirSync(dirname(target), { recursive: true });
    if (lstatSync(target, { throwIfNoEntry: false })?.isSymbolicLink()) rmSync(target);
    if (path === '/config.js') writeFileSync(target, config);
    else copyFileSync(file, target);
  }
  process.stdout.write(`Wrote the TikTok token page to ${out} (${files.size} files).\n\n` +
    'Next: upload the folder\'s contents to a static host with https (it works under any sub-path), then\n' +
    'register the page\'s exact address as your app\'s "Advertiser redirect URL" in the TikTok developer\n' +
    'portal. Where the host allows headers, send Content-Security-Policy: frame-ancestors \'none\' and\n' +
    'Referrer-Policy: no-referrer.\n');
}

function version() {
  const { version } = JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8'));
  process.stdout.write(version + '\n');
}

async function main(argv) {
  const [command, ...rest] = argv;
  if (command === 'serve') return serve(rest);
  if (command === 'build-page') return buildPage(rest);
  if (command === 'version' || command === '-v' || command === '--version') return version();
  if (command === undefined || command === 'help' || command === '-h' || command === '--help') {
    return process.stdout.write(HELP);
  }
  throw new UsageError(`unknown command ${JSON.stringify(command)}: use serve or build-page (see --help)`);
}

main(process.argv.slice(2)).catch((e) => {
  if (e instanceof UsageError) {
    process.stderr.write(`tiktok-ads-auth: ${e.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`tiktok-ads-auth: ${e.stack || e}\n`);
  process.exit(1);
});
