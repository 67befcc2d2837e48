#!/usr/bin/env node
// Assembles the npm package `tiktok-ads-auth` from the wasm-pack output (pkg/, --target web)
// and the hand-written entry files in npm/:
//   node scripts/build-npm.mjs [--out dist/npm] [--pkg pkg]
// then `npm pack dist/npm` or `npm publish dist/npm`.
//
// One build serves every runtime: index.js (browsers, workers, bundlers) instantiates the wasm
// with top-level await from `new URL(…, import.meta.url)`; node.js (the `node` export condition)
// reads it with fs and instantiates it synchronously. Both wrap the same glue and the same .wasm.
//
// The package also carries the production redirect page (page/) and the `tiktok-ads-auth`
// command (bin/) that serves it or writes it out. Neither is reachable from `exports`, so code
// that imports the library never loads them. The page's .wasm is the library's: it is shipped
// once, and bin/ serves it as page/pkg/tiktok_ads_auth_bg.wasm.
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fail, runCommand } from './args.mjs';
import { buildPage } from './build-page.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const GLUE = 'tiktok_ads_auth.js';
const WASM = 'tiktok_ads_auth_bg.wasm';
const GLUE_TYPES = 'tiktok_ads_auth.d.ts';
const ENTRIES = ['index.js', 'node.js'];
// The network calls' transport (exchangeAuthCode, getAdvertisers, revokeToken), shared by the entries and the page.
const NETWORK_JS = 'net.js';
const NETWORK_FUNCTIONS = ['exchangeAuthCode', 'getAdvertisers', 'revokeToken'];
// TikTok's facts, generated from the crate's constants (tests/js_facts.rs), for bin/ and worker/.
const FACTS_JS = 'facts.js';
const BIN_FILES = ['tiktok-ads-auth.mjs', 'server.mjs', 'page.mjs', 'relay.mjs'];
// The relay as a Cloudflare Worker (`npx wrangler deploy` beside wrangler.toml); it imports ../bin/relay.mjs.
const WORKER_FILES = ['worker.mjs', 'wrangler.toml'];
// wasm-bindgen's loader API; the entries call it, consumers never need it.
const LOADER_EXPORTS = new Set(['default', 'initSync']);

/** `[package]` keys of Cargo.toml that are plain strings (version, repository, …). */
export function cargoPackage(toml) {
  const section = toml.split(/^\[/m).find((s) => s.startsWith('package]'));
  if (!section) fail('Cargo.toml has no [package] section');
  const fields = {};
  for (const m of section.matchAll(/^([a-z-]+)\s*=\s*"([^"]*)"\s*$/gm)) fields[m[1]] = m[2];
  return fields;
}

/**
 * The repository for package.json: Cargo.toml's `repository`, else the `origin` remote, else
 * GitHub Actions' GITHUB_REPOSITORY. Null when none names an https repository.
 */
export function findRepository(cargo, { origin = gitOrigin(), env = process.env } = {}) {
  const candidates = [cargo.repository, origin];
  if (env.GITHUB_REPOSITORY) candidates.push(`${env.GITHUB_SERVER_URL || 'https://github.com'}/${env.GITHUB_REPOSITORY}`);
  for (const c of candidates) {
    const url = webRepository(c);
    if (url) return { type: 'git', url: 'git+' + url + '.git' };
  }
  return null;
}

function gitOrigin() {
  try {
    return execFileSync('git', ['remote', 'get-url', 'origin'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] })
      .toString().trim();
  } catch {
    return null; // not a git checkout, or no origin
  }
}

function webRepository(candidate) {
  if (!candidate) return null;
  const ssh = /^git@([^:]+):(.+?)(\.git)?$/.exec(candidate);
  const text = ssh ? `https://${ssh[1]}/${ssh[2]}` : candidate.replace(/^git\+/, '');
  let url;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.username || url.password) return null;
  const path = url.pathname.replace(/\.git$/, '').replace(/\/$/, '');
  if (!/^\/[^/]+\/[^/]+$/.test(path)) return null;
  return url.origin + path;
}

/** The names a module exports, from `export function NAME` and `export { a, b as c } [from …]`. */
export function exportedNames(source) {
  const names = new Set();
  for (const m of source.matchAll(/^export (?:async )?function\s+([A-Za-z_$][\w$]*)/gm)) names.add(m[1]);
  for (const m of source.matchAll(/^export\s*(?:const\s*)?\{([^}]*)\}/gm)) {
    for (const part of m[1].split(',')) {
      const name = part.trim().split(/\s+as\s+/).pop();
      if (name) names.add(name);
    }
  }
  return names;
}

/**
 * index.d.ts: wasm-bindgen's declarations (the custom types from src/js.rs and every function)
 * without the loader (InitInput, InitOutput, initSync, init), which needs DOM types and is
 * called by the entries only.
 */
export function consumerTypes(glueTypes, functions) {
  const cut = glueTypes.indexOf('export type InitInput');
  if (cut < 0) fail(`${GLUE_TYPES} has no "export type InitInput": has wasm-bindgen's output changed?`);
  const body = glueTypes.slice(0, cut).replace(/^\/\* (tslint|eslint)[^\n]*\n/gm, '').trim();
  for (const name of functions) {
    if (!new RegExp(`^export function ${name}\\(`, 'm').test(body)) fail(`${GLUE_TYPES} does not declare ${name}`);
  }
  const code = body.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
  if (/\bany\b/.test(code)) fail(`the public declarations use \`any\`: give every type in src/js.rs a real type`);
  return '// Types of the tiktok-ads-auth package, generated from the crate\'s declarations.\n\n' + body + '\n';
}

/**
 * The production page (scripts/build-page.mjs) into `dir`, without its copy of the .wasm: that
 * is byte for byte the library's `wasm`, which bin/ serves in its place.
 */
function writePage(dir, wasm) {
  buildPage({ out: dir });
  if (!readFileSync(join(dir, 'pkg', WASM)).equals(readFileSync(wasm))) {
    fail('the page (built from pkg/) and the package (from --pkg) must carry the same .wasm');
  }
  if (readdirSync(join(dir, 'pkg')).length !== 1) fail('the page\'s pkg/ holds more than the .wasm');
  rmSync(join(dir, 'pkg'), { recursive: true });
}

export function buildNpm({ out, pkg }) {
  for (const f of [GLUE, WASM, GLUE_TYPES]) {
    if (!existsSync(join(pkg, f))) fail(`${join(pkg, f)} is missing: run bash scripts/build-wasm.sh first`);
  }
  const cargo = cargoPackage(readFileSync(join(root, 'Cargo.toml'), 'utf8'));
  if (cargo.name !== 'tiktok-ads-auth' || !cargo.version) fail('Cargo.toml: expected package tiktok-ads-auth with a version');

  const glue = readFileSync(join(pkg, GLUE), 'utf8');
  // The glue's own `__` exports are the network calls' steps, for net.js only.
  const functions = [...exportedNames(glue), ...NETWORK_FUNCTIONS]
    .filter((n) => !LOADER_EXPORTS.has(n) && !n.startsWith('__')).sort();
  if (functions.length === 0) fail(`${GLUE} exports no function`);
  for (const entry of ENTRIES) {
    const names = [...exportedNames(readFileSync(join(root, 'npm', entry), 'utf8'))].sort();
    const missing = functions.filter((n) => !names.includes(n));
    const extra = names.filter((n) => !functions.includes(n));
    if (missing.length || extra.length) {
      fail(`npm/${entry} must re-export exactly the crate's functions` +
        (missing.length ? `; add ${missing.join(', ')}` : '') + (extra.length ? `; remove ${extra.join(', ')}` : ''));
    }
  }
  const types = consumerTypes(readFileSync(join(pkg, GLUE_TYPES), 'utf8'), functions);

  const manifest = JSON.parse(readFileSync(join(root, 'npm/package.json'), 'utf8'));
  const repository = findRepository(cargo);
  const packageJson = {
    name: manifest.name,
    version: cargo.version,
    description: manifest.description,
    license: cargo.license ?? manifest.license,
    ...(repository ? { repository } : {}),
    ...Object.fromEntries(Object.entries(manifest).filter(([k]) => !['name', 'version', 'description', 'license'].includes(k))),
  };
  if (!repository) {
    process.stderr.write('build-npm: warning: no repository found (set `repository` in Cargo.toml); package.json has none\n');
  }

  // Start from an empty folder so nothing stale is packed; refuse to empty a folder that is not ours.
  if (existsSync(out) && readdirSync(out).length > 0) {
    const previous = join(out, 'package.json');
    const ours = existsSync(previous) && JSON.parse(readFileSync(previous, 'utf8')).name === manifest.name;
    if (!ours) fail(`${out} is not empty and holds no ${manifest.name} package: choose another --out`);
    rmSync(out, { recursive: true });
  }
  mkdirSync(out, { recursive: true });

  // The glue's `@ts-self-types` pragma names a file the package does not ship (index.d.ts holds the types).
  writeFileSync(join(out, GLUE), glue.replace(/^\/\* @ts-self-types="[^"]*" \*\/\n+/, ''));
  copyFileSync(join(pkg, WASM), join(out, WASM));
  for (const entry of [...ENTRIES, NETWORK_JS, FACTS_JS]) copyFileSync(join(root, 'npm', entry), join(out, entry));
  writeFileSync(join(out, 'index.d.ts'), types);
  copyFileSync(join(root, 'npm/README.md'), join(out, 'README.md'));
  for (const f of ['LICENSE-MIT', 'LICENSE-APACHE']) copyFileSync(join(root, f), join(out, f));
  writePage(join(out, 'page'), join(out, WASM));
  mkdirSync(join(out, 'bin'));
  for (const f of BIN_FILES) copyFileSync(join(root, 'npm/bin', f), join(out, 'bin', f));
  chmodSync(join(out, 'bin', BIN_FILES[0]), 0o755);
  mkdirSync(join(out, 'worker'));
  for (const f of WORKER_FILES) copyFileSync(join(root, 'npm/worker', f), join(out, 'worker', f));
  writeFileSync(join(out, 'package.json'), JSON.stringify(packageJson, null, 2) + '\n');

  for (const f of packageJson.files) {
    if (!existsSync(join(out, f))) fail(`package.json lists ${f}, which the build did not produce`);
  }
  for (const f of Object.values(packageJson.bin ?? {})) {
    if (!existsSync(join(out, f))) fail(`package.json's bin names ${f}, which the build did not produce`);
  }
  return { out, version: cargo.version, functions };
}

runCommand(import.meta, {
  name: 'build-npm',
  flags: { '--out': 'out', '--pkg': 'pkg' },
  defaults: { out: join(root, 'dist/npm'), pkg: join(root, 'pkg') },
  usage: 'usage: node scripts/build-npm.mjs [--out dist/npm] [--pkg pkg]\n',
}, (args) => {
  const { out, version, functions } = buildNpm({ out: resolve(args.out), pkg: resolve(args.pkg) });
  return `tiktok-ads-auth ${version} (${functions.length} functions) assembled in ${out}`;
});
