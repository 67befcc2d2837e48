#!/usr/bin/env node
// Assembles the static redirect page: www/* plus the wasm package into one folder to host.
//   node scripts/build-page.mjs --out dist/www [--standin http://127.0.0.1:8081]
//   node scripts/build-page.mjs --out dist/www --api-base https://relay.example.com/open_api/v1.3 [--environment relay]
// With --standin, config.js points the page at a local TikTok stand-in (demo mode). With
// --api-base / --environment, the page opens on that API base or environment (see npm/bin/page.mjs,
// shared with `npx tiktok-ads-auth build-page`).
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { customConfig } from '../npm/bin/page.mjs';
import { AUTH_CODE_LIFETIME_SECS, PRODUCTION_API_BASE, SANDBOX_API_BASE } from '../npm/facts.js';
import { BuildError, fail, runCommand } from './args.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const esbuild = createRequire(import.meta.url)(join(root, 'node_modules/esbuild'));
const PKG_FILES = ['tiktok_ads_auth.js', 'tiktok_ads_auth_bg.wasm'];

/** What this build refuses, with why: the build scripts' BuildError (scripts/args.mjs). */
export { BuildError as BuildPageError };

/** The command line's own rules, past the flags themselves. */
function checkArgs(args) {
  if (!args.out) fail('--out DIR is required');
  if (args.standin && (args.apiBase || args.environment)) fail('--standin builds the demo: it takes no --api-base or --environment');
  return args;
}

export function demoConfig(standinUrl) {
  let origin;
  try {
    const u = new URL(standinUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
    origin = u.origin;
  } catch {
    fail('--standin must be an http(s) URL, got ' + JSON.stringify(standinUrl));
  }
  const name = 'TikTok stand-in (demo)';
  const config = {
    authBase: origin,
    environments: {
      [name]: origin + '/open_api/v1.3',
      production: PRODUCTION_API_BASE,
      sandbox: SANDBOX_API_BASE,
    },
    defaultEnvironment: name,
    extraConnectOrigins: [origin],
    timeoutMs: null,
    demo: { appId: '7000000000000000001', note: 'Any App ID of digits and any secret work with the stand-in. ' +
      'For a real token from TikTok, run scripts/serve.sh --tiktok instead.' },
  };
  return '// Demo build: talks to the local TikTok stand-in at ' + origin + '.\n' +
    'window.tiktokAdsAuthConfig = ' + JSON.stringify(config, null, 2) + ';\n';
}

export function buildPage({ out, standin = null, apiBase = null, environment = null }) {
  const www = join(root, 'www');
  const pkg = join(root, 'pkg');
  for (const f of PKG_FILES) {
    if (!existsSync(join(pkg, f))) {
      fail('pkg/' + f + ' is missing: build the package first (wasm-pack build --target web)');
    }
  }
  const demo = standin ? demoConfig(standin) : null;
  let config = deployedConfig(join(www, 'config.js'));
  if (apiBase !== null || environment !== null) {
    try {
      config = customConfig(config, { apiBase, environment });
    } catch (e) {
      fail(e.message);
    }
  }
  const outDir = resolve(out);
  mkdirSync(join(outDir, 'pkg'), { recursive: true });
  const shared = sharedImports(www);
  for (const f of readdirSync(www)) {
    if (!statSync(join(www, f)).isFile() || INLINED.includes(f)) continue;
    if (f === 'app.js') writeFileSync(join(outDir, f), bundleApp(www, shared));
    else if (f === 'index.html') writeFileSync(join(outDir, f), inlineHead(www));
    else if (f === 'config.js') writeFileSync(join(outDir, f), config);
    else if (OWN_FILES.includes(f)) writeFileSync(join(outDir, f), lazyModule(www, f, shared) + '\n');
    else if (f.endsWith('.js')) continue; // bundled into app.js
    else copyFileSync(join(www, f), join(outDir, f));
  }
  copyFileSync(join(pkg, 'tiktok_ads_auth_bg.wasm'), join(outDir, 'pkg', 'tiktok_ads_auth_bg.wasm'));
  if (demo) writeFileSync(join(outDir, 'config.js'), demo);
  return outDir;
}

// Every visitor pays for the page's bytes and round trips: scripts and styles are served minified
// (the readable sources are www/ and pkg/), app.js carries the package's glue, and the policy
// script and the stylesheet are written into index.html (two requests fewer before the first
// paint). config.js keeps its layout, since whoever hosts the page may edit it, but not its
// comment lines: they explain the settings to the host (in www/config.js) and are of no use to
// visitors. early.js, the callback view's first paint, is written in too: it shows the code
// before app.js and the wasm arrive.
const INLINED = ['early.js', 'policy.js', 'style.css'];
const ESBUILD = { minify: true, legalComments: 'none', target: 'es2020', logLevel: 'warning' };
// Modules app.js loads with import() only when they may be needed (result.js: the rest of the
// result view, which imports the permission table and the export texts; check.js: the token
// check): minified beside app.js and kept out of its bundle, so the first load does not carry
// them.
const LAZY = ['result.js', 'check.js', 'scopes.js', 'exports.js'];
// dom.js holds no state: bundled into app.js (what app.js uses of it) and written beside it for
// the lazy modules, so that the first load does not carry the markup builder only they use.
const STATELESS = ['dom.js'];
// The modules the views share and that hold state (the flow, the announcements, the settings, the
// package's one instance): every other module of www/ that a lazy one imports. The build bundles
// them into app.js and points a lazy module's imports of them at app.js, which hands on what they
// import: one instance of each for the whole page, and no request more.
const OWN_FILES = [...LAZY, ...STATELESS];

function minify(file, options) {
  return esbuild.transformSync(readFileSync(file, 'utf8'), { ...ESBUILD, ...options }).code.trim();
}

/** config.js as deployed: its layout and settings, one pointer line instead of its comments. */
function deployedConfig(file) {
  const settings = readFileSync(file, 'utf8').split('\n').filter((line) => !/^\s*\/\//.test(line));
  return ['// Every origin listed here may be contacted. The settings are explained in www/config.js.',
    ...settings].join('\n');
}

function replaceOnce(text, from, to, what) {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) fail(what + ': expected exactly one ' + JSON.stringify(from));
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/**
 * index.html with early.js, policy.js and style.css in it. The two scripts run before the policy's
 * <meta> exists, as they do from their files; the stylesheet comes after it, so the policy admits
 * it by its hash ('sha256-…' in style-src), not with 'unsafe-inline'. script-src stays 'self'.
 */
function inlineHead(www) {
  const css = minify(join(www, 'style.css'), { loader: 'css' });
  const hash = createHash('sha256').update(css, 'utf8').digest('base64');
  // A classic script: its top-level names stay as they are.
  const policy = replaceOnce(headScript(join(www, 'policy.js')), "style-src 'self';",
    `style-src 'self' 'sha256-${hash}';`, 'policy.js');
  const early = headScript(join(www, 'early.js'));
  if (/<\/(script|style)/i.test(early + policy + css)) fail('early.js, policy.js or style.css contains a closing tag');
  // The source's comments are for its readers.
  let html = readFileSync(join(www, 'index.html'), 'utf8').replace(/<!--[\s\S]*?-->\n?/g, '');
  html = replaceOnce(html, '<script src="early.js"></script>', `<script>${early}</script>`, 'index.html');
  html = replaceOnce(html, '<script src="policy.js"></script>', `<script>${policy}</script>`, 'index.html');
  html = replaceOnce(html, '<link rel="stylesheet" href="style.css">', `<style>${css}</style>`, 'index.html');
  return fetchesEarly(html, `<script>${policy}</script>`);
}

/**
 * The crate's facts the page's scripts use, by the names they write (TIKTOK_FACTS.NAME): the
 * build writes each in as a literal (from npm/facts.js, generated from the crate's constants), so
 * no object is left at run time and a fact costs the page no more than a literal. The head's
 * scripts run before any module and can import nothing; the modules get them the same way, since
 * a host or an origin as written costs fewer bytes than one worked out from an API base.
 */
export const PAGE_FACTS = {
  PRODUCTION_ORIGIN: JSON.stringify(new URL(PRODUCTION_API_BASE).origin),
  PRODUCTION_HOST: JSON.stringify(new URL(PRODUCTION_API_BASE).hostname),
  SANDBOX_ORIGIN: JSON.stringify(new URL(SANDBOX_API_BASE).origin),
  SANDBOX_HOST: JSON.stringify(new URL(SANDBOX_API_BASE).hostname),
  AUTH_CODE_LIFETIME_SECS: String(AUTH_CODE_LIFETIME_SECS),
};
// For esbuild, which writes them into every script of the page as it minifies it.
const FACTS_DEFINE = Object.fromEntries(Object.entries(PAGE_FACTS).map(([name, value]) => ['TIKTOK_FACTS.' + name, value]));

/** `code`, once no TIKTOK_FACTS name is left in it (one the build does not know would be). */
function factsWritten(code, what) {
  if (code.includes('TIKTOK_FACTS')) fail(what + ' uses a TIKTOK_FACTS name the build does not know (PAGE_FACTS)');
  return code;
}

/** www/early.js or www/policy.js as written into index.html: minified, the crate's facts in, as in the modules. */
export function headScript(file) {
  return factsWritten(minify(file, { define: FACTS_DEFINE }), file);
}

/**
 * The app.js module script moved up to right after the policy script: the browser requests it
 * before the inlined stylesheet and the rest of the head arrive (about 2 KB gzip, 10 ms at Slow 4G's 1.6 Mbps). A module script still runs only
 * after the document is parsed. (The WebAssembly is requested earlier still, by early.js.)
 */
function fetchesEarly(html, policyTag) {
  const app = '<script type="module" src="app.js"></script>\n';
  html = replaceOnce(html, app, '', 'index.html');
  return replaceOnce(html, policyTag + '\n', policyTag + '\n' + app, 'index.html');
}

/**
 * What the lazy modules import from shared modules, by module (as written, from www/):
 * `{ './flow.js': ['flow'], '../npm/facts.js': [...], … }`. Their imports are written
 * `import { a, b as c } from './x.js';` (a lazy module's own, e.g. './result.js', are left alone);
 * any other form is refused, so that none escapes the bundle.
 */
function sharedImports(www) {
  const shared = {};
  for (const f of OWN_FILES) {
    const source = readFileSync(join(www, f), 'utf8');
    for (const [statement, names, module] of source.matchAll(/^import\s*(?:\{([^}]*)\}\s*from\s*)?'(\.\.?\/[\w./-]+\.js)';/gm)) {
      if (OWN_FILES.map((own) => './' + own).includes(module)) continue;
      if (names === undefined) fail(f + ': ' + statement + ': import a shared module by its names');
      shared[module] ??= new Set();
      for (const name of names.split(',').map((n) => n.trim().split(/\s+as\s+/)[0]).filter(Boolean)) shared[module].add(name);
    }
    if (/^import\s*[\w*]/m.test(source)) fail(f + ": write its imports as import { … } from './x.js'");
  }
  return Object.fromEntries(Object.entries(shared).map(([m, names]) => [m, [...names].sort()]));
}

/** A lazy (or stateless) module, minified, its imports of `shared` modules pointed at app.js (see LAZY). */
function lazyModule(www, f, shared) {
  return factsWritten(minify(join(www, f), { define: FACTS_DEFINE }), f).replace(/from"(\.\.?\/[\w./-]+\.js)"/g, (all, module) => {
    if (OWN_FILES.map((own) => './' + own).includes(module)) return all;
    if (!Object.hasOwn(shared, module)) fail(f + ': ' + module + ' is neither lazy nor shared');
    return 'from"./app.js"';
  });
}

/**
 * app.js with the modules it imports bundled in (the shared ones, pkg/tiktok_ads_auth.js and
 * npm/net.js: one ES module), handing on what the lazy modules import of the shared ones.
 */
function bundleApp(www, shared) {
  const handed = Object.entries(shared).map(([module, names]) =>
    'export { ' + names.join(', ') + " } from '" + module + "';\n").join('');
  const result = esbuild.buildSync({
    ...ESBUILD,
    stdin: { contents: readFileSync(join(www, 'app.js'), 'utf8') + '\n' + handed, resolveDir: www, sourcefile: 'app.js' },
    bundle: true,
    format: 'esm',
    write: false,
    external: LAZY.map((f) => './' + f),
    define: FACTS_DEFINE,
  });
  return factsWritten(result.outputFiles[0].text, 'app.js or a module it bundles');
}

runCommand(import.meta, {
  name: 'build-page',
  flags: { '--out': 'out', '--standin': 'standin', '--api-base': 'apiBase', '--environment': 'environment' },
  defaults: { out: null, standin: null, apiBase: null, environment: null },
  usage: 'usage: node scripts/build-page.mjs --out DIR [--standin http://127.0.0.1:PORT]\n' +
    '       node scripts/build-page.mjs --out DIR [--api-base URL] [--environment NAME]\n',
}, (args) => {
  const outDir = buildPage(checkArgs(args));
  return 'build-page: wrote ' + outDir + (args.standin ? ' (demo: ' + args.standin + ')' : '');
});
