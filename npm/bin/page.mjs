// The redirect page as files: which files make it up, where it may be served from, and the
// config.js that points it at another API base. No dependencies beyond Node ≥ 18; used by the
// package's `tiktok-ads-auth` command and by scripts/build-page.mjs.
import { lstatSync, readdirSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';

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
 * Checks an API base by the package's rule (normalizeApiBase: src/url.rs `parse_http_url`,
 * `require_https_unless_loopback`, src/api_base.rs `ApiBase::parse`) and the page's (www/policy.js
 * admits only a plain `scheme://host[:port]` origin into its connect-src): an absolute https URL,
 * plain http only to localhost, 127.0.0.0/8 or [::1] (not *.localhost), an ASCII host name, no
 * credentials, query or fragment. Returns it as the package does: without trailing slashes.
 * tests/consumers/bin.test.mjs holds it equal to normalizeApiBase and to policy.js.
 */
export function checkApiBase(text) {
  const refuse = (why) => {
    throw new UsageError(`--api-base ${why}, got ${JSON.stringify(text)}`);
  };
  if (typeof text !== 'string' || !text) refuse('must be a URL such as https://relay.example.com/open_api/v1.3');
  if (Buffer.byteLength(text) > 4096) refuse('is too long (over 4096 bytes)');
  if (/[\0- \x7f-\x9f<>"\\^`{|}]/.test(text)) refuse('must not contain spaces, control characters or any of < > " \\ ^ ` { | }');
  const [, scheme, authority, rest] = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(.*)$/is.exec(text) ?? [];
  if (scheme === undefined) refuse('must be a URL such as https://relay.example.com/open_api/v1.3');
  if (authority.includes('@')) refuse('must not contain a user name or password');
  const [, v6, v6Port] = /^\[([0-9a-f:.]+)\](?::(.*))?$/i.exec(authority) ?? [];
  if (authority.startsWith('[') && v6 === undefined) refuse('has a malformed IPv6 host');
  const colon = authority.lastIndexOf(':');
  const host = v6 ?? (colon < 0 ? authority : authority.slice(0, colon));
  const port = v6 !== undefined ? v6Port : colon < 0 ? undefined : authority.slice(colon + 1);
  if (v6 === undefined) {
    if (!host) refuse('must name a host (https://host/...)');
    if (!/^[a-z0-9-]+(\.[a-z0-9-]+)*$/i.test(host)) {
      refuse('must have a host of letters, digits and hyphens between dots (write international names as xn--…)');
    }
    if (endsInNumber(host) && !isDottedQuad(host)) refuse('has a numeric host that is not an IPv4 address like 127.0.0.1');
  }
  if (port !== undefined && !(/^[0-9]{1,5}$/.test(port) && Number(port) <= 65535)) {
    refuse('has a port that is not a number from 0 to 65535');
  }
  const loopback = host.toLowerCase() === 'localhost' || host === '::1' || (isDottedQuad(host) && host.startsWith('127.'));
  const https = scheme.toLowerCase() === 'https';
  if (!https && !(scheme.toLowerCase() === 'http' && loopback)) {
    refuse('must use https:// (http:// only for localhost, 127.0.0.1 or [::1])');
  }
  if (/[?#]/.test(rest)) refuse('must not contain a query (?…) or fragment (#…)');
  return text.replace(/\/+$/, '');
}

/** The URL Standard's "ends in a number": a browser would read the host as an IPv4 address. */
function endsInNumber(host) {
  const last = host.replace(/\.$/, '').split('.').pop();
  return /^[0-9]+$/.test(last) || /^0x[0-9a-f]*$/i.test(last);
}

/** Four decimal parts from 0 to 255 without leading zeros: the form browsers keep unchanged. */
function isDottedQuad(host) {
  const parts = host.split('.');
  return parts.length === 4 && parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
}

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
