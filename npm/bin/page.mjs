// The redirect page as files: which files make it up, where it may be served from, and the
// config.js that points it at another API base. No dependencies beyond Node ≥ 18.7 and the package
// it ships in (its normalizeApiBase); used by the package's `tiktok-ads-auth` command and by
// scripts/build-page.mjs.
import { existsSync, lstatSync, readFileSync, readdirSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';

/**
 * The package's own normalizeApiBase (src/api_base.rs, `ApiBase::parse`): from the package this
 * file ships in (its glue and .wasm beside bin/), or in the project's checkout from the wasm build
 * in pkg/ (scripts/build-page.mjs); null when neither is there. Only the glue's JavaScript is
 * loaded here; the wasm is compiled the first time a base is checked, so that `serve` and the
 * builds without --api-base never pay for it.
 */
const normalizeApiBase = await loadNormalizeApiBase();

async function loadNormalizeApiBase() {
  const wasm = [new URL('../tiktok_ads_auth_bg.wasm', import.meta.url), new URL('../../pkg/tiktok_ads_auth_bg.wasm', import.meta.url)]
    .find((file) => existsSync(file));
  if (!wasm) return null;
  const glue = await import(new URL('tiktok_ads_auth.js', wasm));
  let compiled = false;
  return (text) => {
    if (!compiled) glue.initSync({ module: readFileSync(wasm) });
    compiled = true;
    return glue.normalizeApiBase(text);
  };
}

/** The files every built page has: a folder without them is not a page. */
// result.js, scopes.js and exports.js are the result view's, loaded after the first view;
// check.js is the token check's, loaded when that view is opened; dom.js is what both build
// their markup with.
export const PAGE_FILES = ['index.html', 'app.js', 'config.js', 'result.js', 'check.js', 'scopes.js', 'exports.js',
  'dom.js', 'pkg/tiktok_ads_auth_bg.wasm'];

/** The value the page's select uses for "type your own API base": not usable as a name. */
const RESERVED_ENVIRONMENT = 'custom';

/** An error for the person at the terminal: printed as it is, without a stack. */
export class UsageError extends Error {
  constructor(message) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * The page's files in `dir` as a Map from URL path ("/app.js") to the file on disk: every
 * regular file below `dir`, except dot files and symbolic links (which could point anywhere).
 * `overrides` (URL path → file) supplies files kept elsewhere, e.g. the package's one copy of
 * the .wasm. Fails unless every file of PAGE_FILES is there.
 */
export function pageFiles(dir, overrides = {}) {
  const files = new Map();
  const walk = (folder, prefix) => {
    for (const name of readdirSync(folder).sort()) {
      if (name.startsWith('.')) continue;
      const file = join(folder, name);
      const stat = lstatSync(file);
      if (stat.isDirectory()) walk(file, prefix + name + '/');
      else if (stat.isFile()) files.set(prefix + name, file);
    }
  };
  try {
    walk(dir, '/');
  } catch (e) {
    if (e.code === 'ENOENT' || e.code === 'ENOTDIR') throw new UsageError(`no page folder at ${dir}`);
    throw e;
  }
  for (const [path, file] of Object.entries(overrides)) files.set(path, file);
  const missing = PAGE_FILES.filter((f) => !files.has('/' + f));
  if (missing.length) {
    throw new UsageError(`${dir} is not a built page: ${missing.join(', ')} missing`);
  }
  return files;
}

/** localhost, 127.0.0.0/8 and ::1: the hosts only this computer can reach. */
export function isLoopbackHost(host) {
  const h = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (isIP(h) === 6) return h === '::1' || h === '0:0:0:0:0:0:0:1' || /^::ffff:127\./.test(h);
  return false;
}

/**
 * Checks an API base with the package's normalizeApiBase, then by the page's own rule (www/policy.js
 * admits only a plain `scheme://host[:port]` origin, an ASCII host name of letters, digits and
 * hyphens, into its connect-src). Returns it as the package does: without trailing slashes.
 * tests/build/page-bin.test.mjs holds it to normalizeApiBase and policy.js.
 */
export function checkApiBase(text) {
  const refuse = (why) => {
    throw new UsageError(`--api-base ${why}, got ${JSON.stringify(text)}`);
  };
  if (normalizeApiBase === null) throw new Error('the package\'s wasm is missing: run bash scripts/build-wasm.sh first');
  let base;
  try {
    base = normalizeApiBase(text);
  } catch (e) {
    if (e?.kind !== 'invalid_input') throw e;
    // "`apiBase` must …." as the package says it, for the command's flag.
    refuse(String(e.message).replace(/^`apiBase` /, '').replace(/\.$/, ''));
  }
  let origin = null;
  try {
    origin = new URL(base).origin;
  } catch { /* refused below */ }
  if (origin === null || !POLICY_ORIGIN.test(origin)) {
    refuse('must have a host of letters, digits and hyphens between dots (write international names as xn--…)');
  }
  return base;
}

/** The origins www/policy.js admits (its ORIGIN), as normalizeApiBase leaves them: https, or plain http to this computer. */
const POLICY_ORIGIN = /^(https:\/\/([a-z0-9-]+(\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])|http:\/\/(localhost|127(\.[0-9]{1,3}){3}|\[::1\]))(:[0-9]{1,5})?$/;

/** The settings of a config.js (`window.tiktokAdsAuthConfig = …`), read by running it alone. */
export function readConfig(source) {
  const sandbox = { window: {} };
  runInNewContext(source, sandbox, { timeout: 1000, filename: 'config.js' });
  const config = sandbox.window.tiktokAdsAuthConfig;
  if (!config || typeof config !== 'object') throw new Error('config.js sets no window.tiktokAdsAuthConfig');
  // Plain data from here on: nothing of the sandbox's prototypes survives.
  return JSON.parse(JSON.stringify(config));
}

/**
 * config.js for a page whose API base (`apiBase`, named `environment`) or default environment
 * (`environment` alone) differs from `source`'s. The other settings are kept: TikTok's own
 * environments stay selectable.
 */
export function customConfig(source, { apiBase = null, environment = null } = {}) {
  const config = readConfig(source);
  let environments = { ...(config.environments || {}) };
  let name = environment;
  if (name !== null) {
    name = name.trim();
    if (!name || name.length > 40 || /[\p{C}\p{Zl}\p{Zp}]/u.test(name)) {
      throw new UsageError('--environment must be a short name such as "relay" (1 to 40 printable characters)');
    }
    if (name === RESERVED_ENVIRONMENT) throw new UsageError(`--environment "${RESERVED_ENVIRONMENT}" is taken by the page's own "Custom API base" choice: choose another name`);
    // In the object literal config.js is, "__proto__" would set the prototype, not a name; the
    // others would shadow what every object has.
    if (name in Object.prototype) throw new UsageError(`--environment ${JSON.stringify(name)} is a reserved name: choose another name`);
  }
  if (apiBase !== null) {
    const base = checkApiBase(apiBase);
    name ??= new URL(base).host;
    // Listed first, as it is the one the page opens on; TikTok's own stay selectable.
    const { [name]: _replaced, ...others } = environments;
    environments = { [name]: base, ...others };
  } else if (name !== null && !Object.hasOwn(environments, name)) {
    throw new UsageError(`--environment ${JSON.stringify(name)} is not one of ${Object.keys(environments).join(', ')}; with --api-base URL it names that URL`);
  }
  if (name === null) return source;
  const settings = { ...config, environments, defaultEnvironment: name };
  return '// Every origin listed here may be contacted. The page opens on ' + JSON.stringify(name) + '.\n' +
    'window.tiktokAdsAuthConfig = ' + JSON.stringify(settings, null, 2) + ';\n';
}
