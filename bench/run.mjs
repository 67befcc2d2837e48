#!/usr/bin/env node
// The size and speed benchmark: builds the release artefacts, measures them next to what a user
// would otherwise pick (oauth4webapi bundled with esbuild, and a plain-JS page doing the same
// parse and fetch), and writes one table to bench/RESULTS.md.
//
//   node bench/run.mjs [--loads 21] [--net-loads 9] [--skip-build] [--network-only]
//
// Loads run in headless Chromium against the local TikTok stand-in; nothing leaves 127.0.0.1.
// The network rows load the production page and the plain-JS reference from a gzip-serving
// static host (bench/serve-gzip.mjs) under Chromium's network emulation (4G, Slow 4G), cold;
// --network-only measures just those and prints them without writing RESULTS.md.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { startStandin } from '../tests/standin/server.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BENCH = join(ROOT, 'bench');
const OUT = join(BENCH, '.out');
const APP_ID = '7000000000000000001';
process.env.PATH = `${join(ROOT, 'node_modules/.bin')}:${os.homedir()}/.cargo/bin:${process.env.PATH}`;

// Node's util.parseArgs: an unknown option or a missing value is one line on stderr, exit status 2.
let args;
try {
  ({ values: args } = parseArgs({
    options: {
      loads: { type: 'string', default: '21' },
      'net-loads': { type: 'string', default: '9' },
      'skip-build': { type: 'boolean', default: false },
      'network-only': { type: 'boolean', default: false },
    },
  }));
  for (const name of ['loads', 'net-loads']) {
    if (!/^[1-9]\d*$/.test(args[name])) throw new Error(`--${name} must be a whole number above 0, got ${JSON.stringify(args[name])}`);
  }
} catch (e) {
  process.stderr.write(`bench: ${e.message}\n`);
  process.exit(2);
}
const LOADS = Number(args.loads);
const SKIP_BUILD = args['skip-build'];
const NETWORK_ONLY = args['network-only'];
const NET_LOADS = Number(args['net-loads']);

// wasm + glue: 31,232 B, the budget tests/build/wasm-size.test.mjs names (25 KB is the stretch).
const BUDGET = { wasmAndGlueGz: 31_232, pageGz: 40 * 1024, readyRatio: 1.3, exchangeRatio: 1.2 };

// Chromium's network emulation (CDP Network.emulateNetworkConditions): `latency` is added to
// every request, the throughputs cap each direction. Down and RTT as the budgets name them;
// upload as DevTools' presets of the same names (1.5 Mbps, 750 kbps).
const NETWORKS = [
  { name: '4G', down: 9, up: 1.5, rtt: 85, budget: 1.12 },
  { name: 'Slow 4G', down: 1.6, up: 0.75, rtt: 150, budget: 1.35 },
];

function say(message) {
  process.stderr.write(`bench: ${message}\n`);
}

function sh(cmd, cmdArgs, options = {}) {
  return execFileSync(cmd, cmdArgs, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], ...options });
}

// ------------------------------------------------------------------------------------- sizes

const gz = (buf) => gzipSync(buf, { level: 9 }).length;
const br = (buf) => brotliCompressSync(buf, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }).length;
const kb = (n) => (n / 1024).toFixed(1) + ' KB';

function sizes(file) {
  const buf = readFileSync(file);
  return { raw: buf.length, gz: gz(buf), br: br(buf) };
}

/** Transfer of a page: each file gzipped on its own, as a server sends them. */
function pageTransfer(dir, files) {
  return files.reduce((sum, f) => sum + gz(readFileSync(join(dir, f))), 0);
}

function bundleOauth4webapi() {
  const esbuild = join(BENCH, 'node_modules/.bin/esbuild');
  const build = (name, contents) => {
    const entry = join(OUT, `${name}.entry.mjs`);
    writeFileSync(entry, contents);
    const outfile = join(OUT, `${name}.bundle.js`);
    sh(esbuild, [entry, '--bundle', '--minify', '--format=esm', '--platform=browser', `--outfile=${outfile}`,
      '--log-level=warning', '--tree-shaking=true'], { cwd: BENCH });
    return gz(readFileSync(outfile));
  };
  return {
    whole: build('oauth4webapi-whole', "export * from 'oauth4webapi';\n"),
    authCode: build('oauth4webapi-authcode', [
      "import { authorizationCodeGrantRequest, processAuthorizationCodeResponse, validateAuthResponse,",
      "  generateRandomState, ClientSecretPost } from 'oauth4webapi';",
      'export { authorizationCodeGrantRequest, processAuthorizationCodeResponse, validateAuthResponse,',
      '  generateRandomState, ClientSecretPost };',
    ].join('\n')),
  };
}

// ------------------------------------------------------------------------------------- loads

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-gpu'];

function stats(values) {
  const v = [...values].sort((a, b) => a - b);
  const at = (q) => v[Math.min(v.length - 1, Math.round(q * (v.length - 1)))];
  return { median: at(0.5), p10: at(0.1), p90: at(0.9), min: v[0], max: v[v.length - 1], n: v.length };
}

const fmt = (ms) => ms.toFixed(1) + ' ms';
const spread = (s) => `${fmt(s.p10)}–${fmt(s.p90)}`;

/** Navigation start to the `callback-ready` mark, in a fresh context (cold cache) each time. */
async function readyTime(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  const at = await page.waitForFunction(() => {
    const m = performance.getEntriesByName('tiktok-ads-auth:callback-ready')[0];
    if (!m) return false;
    const nav = performance.getEntriesByType('navigation')[0];
    const wasm = performance.getEntriesByName('tiktok-ads-auth:wasm-ready')[0];
    return { ready: m.startTime, dcl: nav.domContentLoadedEventStart, wasm: wasm ? wasm.startTime : null };
  }, null, { polling: 'raf', timeout: 15_000 });
  const value = await at.jsonValue();
  await context.close();
  return value;
}

/**
 * Click on "exchange" to the request's arrival at the stand-in, both on the wall clock (Date.now(),
 * whole milliseconds: a monotonic clock's timeOrigin drifts from it in a long-running process);
 * and click to the page's call of `fetch` (its own work, without the network's share).
 */
async function exchangeTime(browser, standin, url, authCode) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => performance.getEntriesByName('tiktok-ads-auth:callback-ready').length > 0);
  await page.fill('#secret', 'bench-secret');
  // A person takes seconds to type the secret: the page's idle-time work is over by the click
  // (idle callbacks run in the order they were requested).
  await page.evaluate(() => new Promise((done) => (window.requestIdleCallback || setTimeout)(() => done())));
  const clickedAt = await page.evaluate(() => {
    const original = window.fetch;
    window.fetch = function (...args) {
      window.benchFetchAt ??= Date.now();
      return original.apply(this, args);
    };
    const t = Date.now();
    document.getElementById('exchange').click();
    return t;
  });
  let record;
  for (let i = 0; i < 500 && !record; i++) {
    record = standin.records('default').find((r) => r.method === 'POST' && r.body.includes(authCode));
    if (!record) await new Promise((r) => setTimeout(r, 5));
  }
  const fetchAt = await page.evaluate(() => window.benchFetchAt);
  await context.close();
  if (!record || !fetchAt) throw new Error('the exchange request never reached the stand-in');
  return { total: record.arrivedAt - clickedAt, toFetch: fetchAt - clickedAt };
}

/**
 * Compile + instantiate only (`initSync` on bytes already fetched), and the whole `init()`; then, as
 * the page calls them, the first `tokenRequestCurl` (the page's warm-up), then the synchronous part
 * of the first and the second `exchangeAuthCode`, with a `fetch` that sends nothing (browsers
 * compile WebAssembly functions on first call).
 */
async function wasmTimes(browser, base) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(base + 'reference/'); // any same-origin document will do
  const times = await page.evaluate(async () => {
    const glue = await import('/pkg/tiktok_ads_auth.js');
    const bytes = await (await fetch('/pkg/tiktok_ads_auth_bg.wasm', { cache: 'no-store' })).arrayBuffer();
    const t0 = performance.now();
    glue.initSync({ module: bytes });
    const sync = performance.now() - t0;
    return { sync };
  });
  const context2 = await browser.newContext();
  const page2 = await context2.newPage();
  await page2.goto(base + 'reference/');
  const full = await page2.evaluate(async () => {
    const glue = await import('/pkg/tiktok_ads_auth.js');
    const t0 = performance.now();
    await glue.default({ module_or_path: '/pkg/tiktok_ads_auth_bg.wasm' });
    const full = performance.now() - t0;
    const time = (f) => { const t = performance.now(); f(); return performance.now() - t; };
    const warmUp = time(() => {
      try { glue.tokenRequestCurl({ appId: '1', secret: 'warm-up', authCode: 'warm-up' }); } catch { /* as the page */ }
    });
    let sent = 0;
    window.fetch = () => { sent += 1; return new Promise(() => {}); }; // nothing leaves this page
    const options = { appId: '7123456789012345678', secret: 'bench-secret', authCode: 'code',
      apiBase: location.origin + '/open_api/v1.3' };
    const { network } = await import('/pkg/net.js');
    const { exchangeAuthCode } = network(glue.__prepare, glue.__read, glue.__fail);
    const firstExchange = time(() => exchangeAuthCode(options));
    const laterExchange = time(() => exchangeAuthCode(options));
    if (sent !== 2) throw new Error('exchangeAuthCode did not reach fetch');
    return { full, warmUp, firstExchange, laterExchange };
  });
  await context.close();
  await context2.close();
  return { sync: times.sync, ...full };
}

/**
 * Navigation start to the moment the auth code is shown and the secret field is usable, seen in
 * the DOM from outside the page (the same test for both pages, no mark the page sets): the code's
 * text is rendered (`innerText` leaves out hidden elements) and `#secret` is rendered, enabled and
 * writable. Checked on every DOM mutation, so the time is the mutation's, not the next frame's.
 * Also when the exchange can be sent (`#exchange` rendered and enabled, the code shown): the page
 * shows the code before its WebAssembly has arrived, so the two differ for it.
 * Cold (a fresh context), under `network`; also returns the bytes transferred by the first.
 */
async function readyOnNetwork(browser, url, code, network) {
  const context = await browser.newContext();
  let foreign = 0;
  await context.route((u) => new URL(u).hostname !== '127.0.0.1', (route) => { foreign += 1; return route.abort(); });
  await context.addInitScript((authCode) => {
    const usable = (id) => {
      const field = document.getElementById(id);
      if (!field || field.disabled || field.readOnly || field.closest('[hidden]')) return false;
      return field.getClientRects().length > 0 && !!document.body && document.body.innerText.includes(authCode);
    };
    const observer = new MutationObserver(() => {
      if (window.benchShownAt === undefined && usable('secret')) window.benchShownAt = performance.now();
      if (window.benchExchangeAt === undefined && usable('exchange')) window.benchExchangeAt = performance.now();
      if (window.benchShownAt !== undefined && window.benchExchangeAt !== undefined) observer.disconnect();
    });
    observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  }, code);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: network.rtt,
    downloadThroughput: (network.down * 1e6) / 8,
    uploadThroughput: (network.up * 1e6) / 8,
  });
  await page.goto(url, { waitUntil: 'commit' });
  const handle = await page.waitForFunction(() => window.benchExchangeAt !== undefined && {
    shown: window.benchShownAt,
    exchange: window.benchExchangeAt,
    bytes: [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
      .filter((e) => e.responseEnd > 0 && e.responseEnd <= window.benchShownAt)
      .reduce((sum, e) => sum + e.transferSize, 0),
    requests: performance.getEntriesByType('resource').filter((e) => e.startTime <= window.benchShownAt).length + 1,
  }, null, { polling: 50, timeout: 60_000 });
  const value = await handle.jsonValue();
  await context.close();
  if (foreign) throw new Error(`${url}: ${foreign} request(s) left 127.0.0.1`);
  return value;
}

/** Both pages, cold, `NET_LOADS` times each (alternating) on each network, after one warm-up. */
async function networkRows(browser, base) {
  const rows = [];
  for (const network of NETWORKS) {
    const ours = [];
    const ref = [];
    for (let i = 0; i < NET_LOADS + 1; i++) {
      const code = `netcode${i}x${network.rtt}`;
      const a = await readyOnNetwork(browser, `${base}?auth_code=${code}&state=s`, code, network);
      const b = await readyOnNetwork(browser, `${base}reference/?auth_code=${code}&state=s`, code, network);
      if (i > 0) { ours.push(a); ref.push(b); }
    }
    const row = {
      network,
      ours: stats(ours.map((x) => x.shown)),
      ref: stats(ref.map((x) => x.shown)),
      oursExchange: stats(ours.map((x) => x.exchange)),
      refExchange: stats(ref.map((x) => x.exchange)),
      oursBytes: stats(ours.map((x) => x.bytes)).median,
      refBytes: stats(ref.map((x) => x.bytes)).median,
      oursRequests: stats(ours.map((x) => x.requests)).median,
      refRequests: stats(ref.map((x) => x.requests)).median,
    };
    row.ratio = row.ours.median / row.ref.median;
    say(`${network.name}: ${fmt(row.ours.median)} vs ${fmt(row.ref.median)}: ${row.ratio.toFixed(2)} × (budget ${network.budget} ×); ` +
      `exchange possible at ${fmt(row.oursExchange.median)} vs ${fmt(row.refExchange.median)}`);
    rows.push(row);
  }
  return rows;
}

/** The pages as a static host serves them: the production page at /, the reference at /reference/. */
function networkSite(productionDir, refDir) {
  const dir = join(OUT, 'network-site');
  rmSync(dir, { recursive: true, force: true });
  cpSync(productionDir, dir, { recursive: true });
  cpSync(refDir, join(dir, 'reference'), { recursive: true });
  const child = spawn(process.execPath, [join(BENCH, 'serve-gzip.mjs'), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => { child.kill(); reject(new Error('bench/serve-gzip.mjs did not start')); }, 10_000);
    child.on('error', reject);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      if (!out.includes('\n')) return;
      clearTimeout(timer);
      resolve({
        url: JSON.parse(out.split('\n')[0]).url,
        close: () => new Promise((done) => { child.once('exit', done); child.kill('SIGTERM'); }),
      });
    });
  });
}

function networkLines(rows) {
  return [
    '## Real networks: cold load, gzip, Chromium network emulation',
    '',
    'The production page (`scripts/build-page.mjs`, as deployed) and the plain-JS reference, served ' +
      'gzip-compressed by a static host (`bench/serve-gzip.mjs`: level 9, `Content-Length`, `max-age`), ' +
      'each load in a fresh browser context (cold cache) under CDP `Network.emulateNetworkConditions`. ' +
      'Measured: navigation start → the auth code is shown and the secret field is usable, observed in ' +
      'the DOM (the code\'s text rendered, `#secret` rendered and enabled; checked on every DOM mutation), ' +
      `the same test for both pages. ${NET_LOADS} measured runs per row (after one warm-up), pages alternating. ` +
      'The budget is on the medians; the ratio of the p10s (each page\'s faster loads) is a cross-check ' +
      'that other work on the machine disturbs less: where the two disagree much, the run was noisy. ' +
      'This page shows the code and the form before its WebAssembly has arrived (`www/early.js`), with ' +
      'the button disabled until then; the last column is when the exchange can be sent (`#exchange` ' +
      'rendered and enabled), which a person typing the secret does not wait for.',
    '',
    '| network | this page: median (p10–p90) | reference: median (p10–p90) | ratio (medians) | budget | | ratio (p10s) | bytes transferred by then (this page / reference) | exchange can be sent: median (this page / reference) |',
    '|---|---|---|---:|---:|---|---:|---|---|',
    ...rows.map((r) => `| ${r.network.name} (${r.network.down} Mbps down, ${r.network.up} Mbps up, ${r.network.rtt} ms RTT) | ` +
      `${fmt(r.ours.median)} (${spread(r.ours)}) | ${fmt(r.ref.median)} (${spread(r.ref)}) | ${r.ratio.toFixed(2)} × | ` +
      `≤ ${r.network.budget} × | ${r.ratio <= r.network.budget ? '✅ met' : '❌ not met'} | ${(r.ours.p10 / r.ref.p10).toFixed(2)} × | ` +
      `${kb(r.oursBytes)} in ${r.oursRequests} requests / ${kb(r.refBytes)} in ${r.refRequests} | ` +
      `${fmt(r.oursExchange.median)} / ${fmt(r.refExchange.median)} |`),
    '',
  ];
}

/** `tests/standin/server.mjs --static DIR` in a child process; resolves once it listens. */
function staticServer(dir) {
  const child = spawn(process.execPath, [join(ROOT, 'tests/standin/server.mjs'), '--port', '0',
    '--static', dir, '--static-port', '0', '--static-mount', '/'], { stdio: ['ignore', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => { child.kill(); reject(new Error('the static server did not start')); }, 10_000);
    child.on('error', reject);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const line = out.split('\n')[0];
      if (!out.includes('\n')) return;
      clearTimeout(timer);
      const ready = JSON.parse(line);
      resolve({
        staticUrl: ready.static,
        close: () => new Promise((done) => { child.once('exit', done); child.kill('SIGTERM'); }),
      });
    });
  });
}

// ------------------------------------------------------------------------------ contributors

function topContributors() {
  const twiggy = spawnSync('twiggy', ['--version'], { encoding: 'utf8' });
  if (twiggy.status !== 0) {
    say('installing twiggy (once)');
    sh('cargo', ['install', '--locked', 'twiggy'], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const wasm = join(ROOT, 'target/wasm32-unknown-unknown/release/tiktok_ads_auth.wasm');
  const named = join(OUT, 'named');
  rmSync(named, { recursive: true, force: true });
  sh('wasm-bindgen', ['--target', 'web', '--keep-debug', '--out-dir', named, wasm]);
  const features = ['--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
    '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue'];
  sh('wasm-opt', ['-Oz', '--low-memory-unused', '-g', ...features, join(named, 'tiktok_ads_auth_bg.wasm'), '-o', join(named, 'opt.wasm')]);
  const csv = sh('twiggy', ['top', '-n', '100000', '-f', 'csv', join(named, 'opt.wasm')]);
  const byGroup = new Map();
  for (const line of csv.split('\n').slice(1)) {
    const m = line.match(/^"?(.*?)"?,(\d+),/);
    if (!m || m[1].includes('function names')) continue;
    const name = m[1];
    const crate = name.match(/^<?&?([a-z_0-9]+)(?:\[|::)/)?.[1]
      ?? (name.startsWith('data') ? 'data (strings, tables)'
        : name.includes(' shim') ? 'export shims (wasm-bindgen)'
          // The exports carry the crate code inlined into them.
          : /^[a-z][A-Za-z_]*$/.test(name) ? 'exported functions (JS API, crate code inlined)'
            : /^<(str|\[u8\]|char)/.test(name) ? 'core'
              : name.startsWith('import') ? 'imports' : 'other');
    byGroup.set(crate, (byGroup.get(crate) ?? 0) + Number(m[2]));
  }
  return [...byGroup.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10);
}

// -------------------------------------------------------------------------------------- main

async function main() {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  if (!existsSync(join(BENCH, 'node_modules/oauth4webapi'))) {
    say('installing the reference libraries (bench/package.json)');
    sh('npm', ['ci', '--no-audit', '--no-fund'], { cwd: BENCH });
  }
  if (!SKIP_BUILD) {
    say('building the release wasm');
    sh('bash', ['scripts/build-wasm.sh'], { stdio: ['ignore', 'ignore', 'inherit'] });
  }

  // The API stand-in, and a second instance only to serve the two pages (so the API is another
  // origin, as TikTok is for the real page).
  const api = await startStandin({ port: 0 });
  const pageDir = join(OUT, 'page');
  sh('node', ['scripts/build-page.mjs', '--out', pageDir, '--standin', api.url], { stdio: 'ignore' });
  // Sizes are the production page's (its config.js names TikTok only), as a host deploys it.
  const productionDir = join(OUT, 'page-production');
  sh('node', ['scripts/build-page.mjs', '--out', productionDir], { stdio: 'ignore' });
  // The glue on its own too, only for the instantiate measurement (the page bundles it into app.js).
  cpSync(join(ROOT, 'pkg/tiktok_ads_auth.js'), join(pageDir, 'pkg/tiktok_ads_auth.js'));
  // The network calls' transport, which the bench's exchange timing loads beside the glue, with
  // the facts it imports.
  for (const f of ['net.js', 'facts.js']) cpSync(join(ROOT, 'npm', f), join(pageDir, 'pkg', f));
  const refDir = join(pageDir, 'reference');
  cpSync(join(BENCH, 'reference'), refDir, { recursive: true });
  writeFileSync(join(refDir, 'config.js'),
    `window.benchConfig = ${JSON.stringify({ appId: APP_ID, apiBase: api.url + '/open_api/v1.3' })};\n`);
  // The reference with only the wasm added (bench/reference-wasm/entry.js): the floor for any page
  // that parses with this package.
  const floorDir = join(pageDir, 'reference-wasm');
  mkdirSync(floorDir);
  sh(join(BENCH, 'node_modules/.bin/esbuild'), [join(BENCH, 'reference-wasm/entry.js'), '--bundle', '--minify',
    '--format=esm', '--target=es2022', '--log-level=warning', `--outfile=${join(floorDir, 'ref.js')}`], { cwd: BENCH });
  cpSync(join(refDir, 'config.js'), join(floorDir, 'config.js'));
  const refHtml = readFileSync(join(refDir, 'index.html'), 'utf8');
  const moduleTag = '<script type="module" src="ref.js"></script>';
  if (!refHtml.includes(moduleTag)) throw new Error('bench/reference/index.html: no ' + moduleTag);
  writeFileSync(join(floorDir, 'index.html'), refHtml.replace(moduleTag,
    '<link rel="preload" href="../pkg/tiktok_ads_auth_bg.wasm" as="fetch" type="application/wasm" crossorigin>\n' +
    moduleTag));
  if (NETWORK_ONLY) {
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const host = await networkSite(productionDir, refDir);
    say(`loading each page ${NET_LOADS} times per network, cold`);
    const rows = await networkRows(browser, host.url);
    await browser.close();
    await host.close();
    await api.close();
    process.stdout.write(networkLines(rows).join('\n'));
    return;
  }
  // The pages are served from a process of their own, as a real host would serve them: not from
  // this one, whose event loop also drives the browser and polls for marks.
  const web = await staticServer(pageDir);

  say('measuring sizes');
  const wasm = sizes(join(pageDir, 'pkg/tiktok_ads_auth_bg.wasm'));
  // The glue as the npm package ships it, and minified as the page bundles it into app.js.
  const glue = sizes(join(ROOT, 'pkg/tiktok_ads_auth.js'));
  const glueMinFile = join(OUT, 'glue.min.js');
  sh(join(BENCH, 'node_modules/.bin/esbuild'), [join(ROOT, 'pkg/tiktok_ads_auth.js'), '--minify', '--format=esm',
    '--target=es2020', '--legal-comments=none', '--log-level=warning', `--outfile=${glueMinFile}`], { cwd: BENCH });
  const glueMin = sizes(glueMinFile);
  const cssMinFile = join(OUT, 'style.min.css');
  sh(join(BENCH, 'node_modules/.bin/esbuild'), [join(ROOT, 'www/style.css'), '--minify', '--log-level=warning',
    `--outfile=${cssMinFile}`], { cwd: BENCH });
  const cssGz = sizes(cssMinFile).gz;
  // As built, index.html carries the early view script, the policy script and the stylesheet.
  const pageFiles = ['index.html', 'config.js', 'app.js', 'pkg/tiktok_ads_auth_bg.wasm'];
  const page = pageTransfer(productionDir, pageFiles);
  const pageOwn = pageTransfer(productionDir, pageFiles.slice(0, 3));
  // What the build saves against serving www/ and the glue as written.
  const minGain = pageTransfer(join(ROOT, 'www'), ['index.html', 'config.js', 'style.css', 'early.js', 'policy.js', 'app.js',
    'api.js', 'dom.js', 'flow.js', 'settings.js', 'ui.js']) +
    glue.gz - pageTransfer(productionDir, ['index.html', 'config.js', 'app.js']);
  const reference = pageTransfer(refDir, ['index.html', 'config.js', 'ref.js']);
  const o4w = bundleOauth4webapi();


  say(`loading each page ${LOADS} times, cold`);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const base = web.staticUrl;
  const ours = [];
  const refs = [];
  const floors = [];
  const oursPhases = [];
  const refPhases = [];
  for (let i = 0; i < LOADS + 1; i++) {
    // The first round warms the browser process and the disk cache of the OS: not counted.
    const a = await readyTime(browser, `${base}?auth_code=benchcode${i}&state=s`);
    const b = await readyTime(browser, `${base}reference/?auth_code=benchcode${i}&state=s`);
    const c = await readyTime(browser, `${base}reference-wasm/?auth_code=benchcode${i}&state=s`);
    if (i > 0) { ours.push(a.ready); refs.push(b.ready); floors.push(c.ready); oursPhases.push(a); refPhases.push(b); }
  }
  say(`exchanging ${LOADS} times on each page`);
  const oursX = [];
  const refsX = [];
  for (let i = 0; i < LOADS + 1; i++) {
    const c1 = api.issueCode({ appId: APP_ID });
    const a = await exchangeTime(browser, api, `${base}?auth_code=${c1}&state=s`, c1);
    const c2 = api.issueCode({ appId: APP_ID });
    const b = await exchangeTime(browser, api, `${base}reference/?auth_code=${c2}&state=s`, c2);
    if (i > 0) { oursX.push(a); refsX.push(b); }
  }
  const inst = [];
  const instFull = [];
  const calls = { warmUp: [], firstExchange: [], laterExchange: [] };
  for (let i = 0; i < LOADS; i++) {
    const t = await wasmTimes(browser, base);
    inst.push(t.sync);
    instFull.push(t.full);
    for (const k of Object.keys(calls)) calls[k].push(t[k]);
  }
  say(`loading each page ${NET_LOADS} times per network, cold, gzip-served`);
  const host = await networkSite(productionDir, refDir);
  const net = await networkRows(browser, host.url);
  await host.close();
  const chromiumVersion = browser.version();
  await browser.close();
  await api.close();
  await web.close();

  say('finding the top size contributors');
  const contributors = topContributors();
  // In a target directory of its own, so that target/ keeps the release wasm twiggy reads.
  say('building the stable-toolchain wasm for comparison');
  sh('bash', ['scripts/build-wasm.sh'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, TIKTOK_ADS_AUTH_STABLE: '1', WASM_OUT_DIR: join(OUT, 'stable-pkg'),
      CARGO_TARGET_DIR: join(BENCH, '.stable-target') },
  });
  const stableWasm = sizes(join(OUT, 'stable-pkg/tiktok_ads_auth_bg.wasm'));
  const toolchain = wasm.raw < stableWasm.raw ? 'nightly (panic=immediate-abort)' : 'stable';

  const ready = { ours: stats(ours), ref: stats(refs), floor: stats(floors) };
  const floorRatio = ready.floor.median / ready.ref.median;
  const exch = { ours: stats(oursX.map((x) => x.total)), ref: stats(refsX.map((x) => x.total)) };
  const toFetch = { ours: stats(oursX.map((x) => x.toFetch)), ref: stats(refsX.map((x) => x.toFetch)) };
  const afterFetch = { ours: stats(oursX.map((x) => x.total - x.toFetch)), ref: stats(refsX.map((x) => x.total - x.toFetch)) };
  const readyRatio = ready.ours.median / ready.ref.median;
  const exchRatio = exch.ours.median / exch.ref.median;
  const dclOurs = stats(oursPhases.map((p) => p.dcl)).median;
  const dclRef = stats(refPhases.map((p) => p.dcl)).median;
  const wasmOurs = stats(oursPhases.map((p) => p.wasm)).median;
  const ok = (pass) => (pass ? '✅ met' : '❌ not met');

  const cpu = (os.cpus()[0]?.model ?? 'unknown CPU').trim();
  const lines = [
    '# Benchmark results',
    '',
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC by \`node bench/run.mjs\` on ${os.cpus().length} × ${cpu}, ` +
      `${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}; Chromium ${chromiumVersion} headless; ` +
      `Node ${process.version}; wasm built with the ${toolchain} toolchain. ${LOADS} measured runs per row (after one warm-up).`,
    '',
    '## Size',
    '',
    '| artefact | raw | gzip -9 | brotli |',
    '|---|---:|---:|---:|',
    `| \`tiktok_ads_auth_bg.wasm\` | ${kb(wasm.raw)} | ${kb(wasm.gz)} | ${kb(wasm.br)} |`,
    `| \`tiktok_ads_auth.js\` (glue, as in the npm package) | ${kb(glue.raw)} | ${kb(glue.gz)} | ${kb(glue.br)} |`,
    `| glue minified (as the page bundles it into \`app.js\`) | ${kb(glueMin.raw)} | ${kb(glueMin.gz)} | ${kb(glueMin.br)} |`,
    `| **wasm + minified glue** | ${kb(wasm.raw + glueMin.raw)} | **${kb(wasm.gz + glueMin.gz)}** | ${kb(wasm.br + glueMin.br)} |`,
    `| the page's other files (HTML, CSS, JS with the glue), as built | | ${kb(pageOwn)} | |`,
    `| **whole page** (HTML, CSS, JS, glue, wasm), as built for production | | **${kb(page)}** | |`,
    `| reference: plain-JS page (bench/reference) | | ${kb(reference)} | |`,
    `| reference: oauth4webapi, whole, esbuild --minify | | ${kb(o4w.whole)} | |`,
    `| reference: oauth4webapi, auth-code functions only | | ${kb(o4w.authCode)} | |`,
    '',
    '## Speed',
    '',
    '| measure | this page | plain-JS reference | ratio (medians) |',
    '|---|---|---|---:|',
    `| cold load → callback view ready: median (p10–p90) | ${fmt(ready.ours.median)} (${spread(ready.ours)}) | ${fmt(ready.ref.median)} (${spread(ready.ref)}) | ${readyRatio.toFixed(2)} |`,
    `| the reference with only this wasm added (glue bundled, .wasm preloaded, \`parseRedirect\`): cold load → ready | ${fmt(ready.floor.median)} (${spread(ready.floor)}) | ${fmt(ready.ref.median)} | ${floorRatio.toFixed(2)} |`,
    `| click → exchange request at the stand-in: median (p10–p90) | ${fmt(exch.ours.median)} (${spread(exch.ours)}) | ${fmt(exch.ref.median)} (${spread(exch.ref)}) | ${exchRatio.toFixed(2)} |`,
    `| of which click → the page calls \`fetch\` (its own work): median (p10–p90) | ${fmt(toFetch.ours.median)} (${spread(toFetch.ours)}) | ${fmt(toFetch.ref.median)} (${spread(toFetch.ref)}) | |`,
    `| wasm compile + instantiate (\`initSync\` on fetched bytes): median (p10–p90) | ${fmt(stats(inst).median)} (${spread(stats(inst))}) | — | |`,
    `| \`init()\`: fetch + compile + instantiate: median (p10–p90) | ${fmt(stats(instFull).median)} (${spread(stats(instFull))}) | — | |`,
    '',
    'Where the load time goes on loopback (medians, ms from navigation start):',
    '',
    '| phase | this page | reference |',
    '|---|---:|---:|',
    `| HTML parsed, blocking scripts run (DOMContentLoaded) | ${fmt(stats(oursPhases.map((p) => p.dcl)).median)} | ${fmt(stats(refPhases.map((p) => p.dcl)).median)} |`,
    `| wasm initialised (\`init()\` resolved) | ${fmt(stats(oursPhases.map((p) => p.wasm)).median)} | — |`,
    `| callback view ready | ${fmt(ready.ours.median)} | ${fmt(ready.ref.median)} |`,
    '',
    ...networkLines(net),
    '## Budgets',
    '',
    '| budget | target | measured | |',
    '|---|---:|---:|---|',
    `| wasm + glue (minified), gzip | ≤ ${kb(BUDGET.wasmAndGlueGz)} | ${kb(wasm.gz + glueMin.gz)} | ${ok(wasm.gz + glueMin.gz <= BUDGET.wasmAndGlueGz)} |`,
    `| whole page, gzip | ≤ 40 KB | ${kb(page)} | ${ok(page <= BUDGET.pageGz)} |`,
    `| page ready time vs reference | ≤ 1.3 × | ${readyRatio.toFixed(2)} × | ${ok(readyRatio <= BUDGET.readyRatio)} |`,
    `| exchange path vs reference | ≤ 1.2 × | ${exchRatio.toFixed(2)} × | ${ok(exchRatio <= BUDGET.exchangeRatio)} |`,
    ...net.map((r) => `| ${r.network.name}: cold load → code shown, secret usable, vs reference | ≤ ${r.network.budget} × | ${r.ratio.toFixed(2)} × | ${ok(r.ratio <= r.network.budget)} |`),
    '',
    '## What the size budgets would cost',
    '',
    `- Taken so far: the release build rebuilds \`std\` with \`panic=immediate-abort\` (nightly): ${kb(stableWasm.raw)} → ${kb(wasm.raw)} raw, ${kb(stableWasm.gz)} → ${kb(wasm.gz)} gzip. JSON is read with the platform's \`JSON.parse\` (no parser, no serde-wasm-bindgen: its error path alone linked ~20 KB of float formatting). Measured when each was made: the network calls use \`fetch\` through web-sys with plain Promise callbacks, with no gloo-net and no Rust futures (−11 KB raw wasm, −6 KB raw glue); a size-class allocator replaces dlmalloc (−4.7 KB raw, −2.2 KB gzip); byte scans replace \`char\`-pattern string searches, and plain loops the collect-into-\`Result\` adapters (−3.9 KB raw, −1.8 KB gzip); JS values live in wasm-bindgen's JS heap instead of an externref table (−0.6 KB gzip, wasm and glue); wasm-opt strips the producers and target-features sections, and may assume the first KiB of memory unused (−0.2 KB gzip); the state's random bytes come from a direct \`crypto.getRandomValues\` binding that fills wasm memory, not a lookup through js-sys's global object (−2.6 KB raw, −1.1 KB gzip); \`JSON.parse\` results are walked with index loops and \`typeof\` checks, and a body's first byte is matched directly (−0.4 KB raw, −0.2 KB gzip).`,
    `- The page is built minified, with the glue bundled into \`app.js\` (only the functions the page calls), the early view script, the policy script and the stylesheet written into \`index.html\` (four requests fewer), and without the comments of \`index.html\` and \`config.js\` (whose layout stays, for hosts who edit it): ${kb(minGain)} gzip less than serving \`www/\` and the glue as written.`,
    `- The rest is the product: the crate's own code (URL, redirect, envelope and error handling, curl quoting, redaction), its messages and hints for every TikTok code (~5 KB raw), the wasm-bindgen export shims, and the js-sys/web-sys bindings (see below). Reaching the budget would take another ${kb(wasm.gz + glueMin.gz - BUDGET.wasmAndGlueGz)} gzip off: more than dropping every message and hint would save, which the product's rules forbid (every error says what happened and what to do).`,
    page > BUDGET.pageGz
      ? `- The whole page is ${kb(page - BUDGET.pageGz)} gzip over its budget; its whole stylesheet is ${kb(cssGz)} gzip. What is left to take is the page's own content (the explanation of every error kind and step, the views, the styles), and dropping that is not a diet but a worse page.`
      : '- The whole page is within its budget.',
    '',
    '## Where the speed budgets are lost',
    '',
    `- The floor: the plain-JS reference with only this package's wasm added, in the lightest way (glue bundled into its one script, the .wasm preloaded, \`parseRedirect\` doing the parse), is ready at ${fmt(ready.floor.median)}: ${floorRatio.toFixed(2)} × the reference. ${floorRatio > BUDGET.readyRatio ? `Preloading this wasm and compiling it once that script runs costs more than the ${BUDGET.readyRatio} × budget allows on this machine.` : 'The budget leaves room for the page\'s own work.'} This page is ${(ready.ours.median / ready.floor.median).toFixed(2)} × that floor: its first script (\`early.js\`, before config.js) starts fetching and compiling the wasm while the HTML is parsed, before app.js arrives.`,
    `- At DOMContentLoaded (after app.js has run) the page is ${fmt(dclOurs - dclRef)} later than the reference: it sets its Content-Security-Policy first, shows the callback view while the HTML is parsed (\`early.js\`), and has ${kb(pageOwn)} gzip of HTML, CSS and JS (with the glue; production build, the timed one differs only in its config.js) against the reference's ${kb(reference)}. The built page inlines its early view script, policy script and stylesheet (three requests: config.js, app.js and the wasm, as the floor has).`,
    `- \`init()\` resolves at ${fmt(wasmOurs)} from navigation start (${wasmOurs < dclOurs ? 'before DOMContentLoaded: the compile ran during parsing' : `${fmt(wasmOurs - dclOurs)} after DOMContentLoaded`}; compile + instantiate alone: ${fmt(stats(inst).median)}), and the view is complete ${fmt(ready.ours.median - wasmOurs)} later: the package reads the code, cleans the address bar and checks the state, and the view is filled in.`,
    `- The exchange path's median is ${fmt(exch.ours.median - exch.ref.median)} longer than the reference's, and the page's own work before \`fetch\` ${fmt(toFetch.ours.median - toFetch.ref.median)} longer: it reads its form, and the options are checked and the request built in wasm. The rest is the network's share, which varies by several ms between runs: from the \`fetch\` call to the stand-in (CORS preflight included; medians of the per-run differences), ${fmt(afterFetch.ours.median)} for this page's request (a \`Request\` with a timeout signal, \`no-store\`, \`omit\`, \`no-referrer\`) and ${fmt(afterFetch.ref.median)} for the reference's plain \`fetch\`. The page sends first and updates the view after, and runs the argument checks once while the user types (browsers compile WebAssembly functions on first call: the warm-up's \`tokenRequestCurl\` takes ${fmt(stats(calls.warmUp).median)}, the first \`exchangeAuthCode\` after it ${fmt(stats(calls.firstExchange).median)} for its synchronous part (checks, request, \`fetch\` call), later ones ${fmt(stats(calls.laterExchange).median)}: the warm-up cannot reach the sending code without sending); the bench clicks once the page is idle, as it is when a person has typed the secret.`,
    `- ${[readyRatio <= BUDGET.readyRatio, exchRatio <= BUDGET.exchangeRatio].every(Boolean) ? 'Both speed budgets are met in this run.' : 'What is not met above is the best found so far.'} Medians of the same build vary by ±20 ms between runs on this 2-core machine, so a ratio near its budget can land on either side.`,
    '',
    '## Top size contributors of the wasm (twiggy, bytes before gzip)',
    '',
    '| part | bytes |',
    '|---|---:|',
    ...contributors.map(([name, bytes]) => `| ${name} | ${bytes} |`),
    '',
  ];
  writeFileSync(join(BENCH, 'RESULTS.md'), lines.join('\n'));
  process.stdout.write(lines.join('\n') + '\n');
}

main().catch((e) => {
  process.stderr.write(`bench: ${e.stack || e}\n`);
  process.exit(1);
});
