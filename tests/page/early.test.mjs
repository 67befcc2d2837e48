// www/early.js reads the redirect on its own, before the package has arrived (it exists for
// speed). Whatever code it shows, the package must read the same: generated redirects (valid,
// odd and hostile) go to early.js, run in a vm context with a stand-in document and location as
// the browser gives them (WHATWG URL), and to the release package's parseRedirect with the same
// address. `EARLY_SEED=N` reproduces a run; a disagreement prints the address.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import vm from 'node:vm';
import { ROOT, hostileString, loadPackage, random } from '../soak/common.mjs';
import { headScript } from '../../scripts/build-page.mjs';
import { AUTH_CODE_LIFETIME_SECS, PRODUCTION_API_BASE, SANDBOX_API_BASE } from '../../npm/facts.js';

const SEED = Number(process.env.EARLY_SEED || 20261202);
const CASES = 3000;
// early.js as the built page carries it (scripts/build-page.mjs): the crate's facts in, minified.
const script = new vm.Script(headScript(join(ROOT, 'www/early.js')), { filename: 'early.js' });

const context = vm.createContext({
  URL,
  URLSearchParams,
  localStorage: { getItem: () => null },
  sessionStorage: { removeItem() {} },
  setInterval: () => 1,
  clearInterval() {},
  Option: function Option(text, value) { this.text = text; this.value = value; },
  WebAssembly: { instantiate() {} },
  fetch: () => new Promise(() => {}),
});

let api;
before(async () => {
  ({ api } = await loadPackage());
});

function fakeElement() {
  const attributes = new Set();
  const inner = new Map();
  return {
    hidden: true, textContent: '', value: '', disabled: false, options: [], nextSibling: null,
    add(option) { this.options.push(option); },
    setAttribute(name) { attributes.add(name); },
    removeAttribute(name) { attributes.delete(name); },
    hasAttribute: (name) => attributes.has(name),
    addEventListener() {},
    querySelector(selector) {
      if (!inner.has(selector)) inner.set(selector, fakeElement());
      return inner.get(selector);
    },
    parentNode: { insertBefore() {} },
  };
}

/**
 * The code early.js shows for the page opened at `href` (the callback view made visible, the
 * code written into it), or null when it leaves the redirect to the package.
 */
function earlyReading(href) {
  const element = runEarly(href);
  const view = element('view-callback');
  if (view.hidden) return null;
  assert.ok(view.hasAttribute('aria-busy'), 'an early view is marked busy');
  return element('auth-code').textContent;
}

/**
 * Runs early.js on the page opened at `href`, with these environments and history.state, until
 * the parser has passed the form; returns the page's elements by id.
 */
function runEarly(href, { environments = { production: PRODUCTION_API_BASE }, state = null } = {}) {
  const elements = new Map();
  const element = (id) => {
    if (!elements.has(id)) elements.set(id, fakeElement());
    return elements.get(id);
  };
  let parsed = null; // the MutationObserver's callback: "the parser has passed the form"
  const window = { tiktokAdsAuthConfig: { environments } };
  window.top = window;
  window.self = window;
  // One context for every case (a context of its own each is some 10 ms); what early.js reads
  // and writes is new for each.
  Object.assign(context, {
    window,
    location: new URL(href),
    document: { getElementById: element, addEventListener() {} },
    MutationObserver: class {
      constructor(callback) { parsed = callback; }
      observe() {}
      disconnect() {}
    },
    history: { state, replaceState(state) { this.state = state; } },
  });
  script.runInContext(context);
  parsed();
  return element;
}

test('the built early.js warns on the crate\'s sandbox host and counts the crate\'s code lifetime down', () => {
  const code = 'f3a1c0de9b8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c';
  const element = runEarly(`https://me.example/cb?auth_code=${code}`, {
    environments: { sandbox: SANDBOX_API_BASE, production: PRODUCTION_API_BASE },
    state: { arrivedAt: Date.now() - 61_000 },
  });
  assert.match(element('environment-help').textContent, /^TikTok’s sandbox does not run this authorization flow/);
  // Arrived 61 s ago: a minute and some seconds gone of the code's lifetime.
  const minutes = AUTH_CODE_LIFETIME_SECS / 60 - 2;
  assert.match(element('view-callback').querySelector('.countdown').textContent, new RegExp(`^${minutes} min 5\\d s$`));
  const production = runEarly(`https://me.example/cb?auth_code=${code}`);
  assert.equal(production('environment-help').textContent, 'Requests go to ' + PRODUCTION_API_BASE);
});

const BASES = ['https://me.example/cb', 'http://localhost:8080/', 'http://127.0.0.1:8080/some/sub/', 'https://you.github.io/tiktok-auth/'];
const NAMES = ['auth_code', 'auth_code', 'auth_code', 'code', 'code', 'state', 'state', 'error', 'error_description',
  'error_code', 'Auth_Code', 'auth%5Fcode', 'auth_c%6Fde', 'co%64e', 'err%6Fr', 'auth_code%00', ' auth_code', 'lang', 'scopes'];
const HEX = '0123456789abcdef';

/** A code as TikTok sends one (40 hex digits), or of another plausible shape. */
function tiktokCode(r) {
  const length = r.pick([40, 40, 40, 1, 16, 64, 2047, 2048, 2049]);
  const alphabet = r.pick([HEX, HEX + 'ABCDEF-_.~', '!$\'()*,;:@/?' + HEX]);
  let code = '';
  for (let i = 0; i < length; i++) code += alphabet[r.int(0, alphabet.length - 1)];
  return code;
}

/** `value` percent-encoded in part (or whole, or with `+`), as some proxies and tools rewrite it. */
function reencode(r, value) {
  return Array.from(value, (c) => {
    if (!r.chance(0.2)) return c;
    const hex = c.codePointAt(0).toString(16).padStart(2, '0');
    return r.pick(['%' + hex.toUpperCase(), '%' + hex, encodeURIComponent(c.toWellFormed())]);
  }).join('');
}

function value(r, codes) {
  switch (r.int(0, 11)) {
    case 0: case 1: case 2: return r.pick(codes);
    case 3: return reencode(r, r.pick(codes));
    case 4: return '';
    case 5: return hostileString(r);
    case 6: return r.pick(codes) + r.pick(['+', '%20', '%2B', '%00', '%0A', '%09', ' ', '%', '%zz', '%FF', '#', '&', '=', '%26', '%3D', 'é', '%C3%A9', '\u202e']);
    case 7: return r.pick(['+', '%20', '%2B', '%', '%2', '%zz', '=', '==', 'a=b', '%3D', '%26code%3Dx']) + r.pick(codes);
    case 8: return r.pick(codes).slice(0, r.int(0, 40));
    case 9: return encodeURIComponent(hostileString(r).toWellFormed());
    case 10: return 'x'.repeat(r.pick([2047, 2048, 2049, 4000]));
    default: return r.pick(['access_denied', 'true', '0', 'null', 'undefined', '%EF%BB%BF', '%E2%80%AE', '\t', '%7F']);
  }
}

/** One redirect address: a base, a query of random pairs (doubles, both names, junk), maybe a fragment. */
function redirect(r) {
  const codes = [tiktokCode(r), tiktokCode(r)];
  const pairs = [];
  const n = r.int(0, 6);
  if (r.chance(0.75)) pairs.push('auth_code=' + codes[0]);
  if (r.chance(0.5)) pairs.push('code=' + (r.chance(0.8) ? codes[0] : value(r, codes)));
  if (r.chance(0.5)) pairs.push('state=' + (r.chance(0.7) ? tiktokCode(r).slice(0, 22) : value(r, codes)));
  for (let i = 0; i < n; i++) {
    const x = r.next();
    if (x < 0.7) pairs.push(r.pick(NAMES) + '=' + value(r, codes));
    else if (x < 0.8) pairs.push(r.pick(NAMES)); // a name without `=`
    else if (x < 0.9) pairs.push(r.pick(['', '=', '&', ';', '=x', '==', '?', '%26', 'auth_code=' + codes[0] + ';code=' + codes[1]]));
    else pairs.push(hostileString(r));
  }
  // Shuffled: TikTok's order is not promised.
  for (let i = pairs.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [pairs[i], pairs[j]] = [pairs[j], pairs[i]];
  }
  let query = pairs.join(r.chance(0.9) ? '&' : r.pick(['&&', '&amp;', ';']));
  if (r.chance(0.02)) query += '&pad=' + 'p'.repeat(r.int(65_400, 65_600));
  const fragment = r.chance(0.85) ? '' : r.pick(['#', '#top', '#auth_code=' + codes[1], '#' + query, '#state=x', '#' + hostileString(r)]);
  return r.pick(BASES) + (r.chance(0.97) ? '?' : '') + query + fragment;
}

function describe(href) {
  return href.length <= 4096 ? JSON.stringify(href) : `${JSON.stringify(href.slice(0, 300))}… (${href.length} characters)`;
}

/** Whatever early.js shows for `href`, the package reads the same code, from `auth_code`. */
function agree(href, where) {
  const shown = earlyReading(href);
  if (shown === null) return false;
  let read;
  try {
    read = api.parseRedirect(href);
  } catch (e) {
    assert.fail(`${where}: early.js shows ${describe(shown)} but the package refuses the redirect (${e.kind}: ${e.message})\n  address: ${describe(href)}`);
  }
  assert.equal(read.authCode, shown, `${where}: early.js and the package read different codes\n  address: ${describe(href)}`);
  assert.equal(read.codeParam, 'auth_code', `${where}: ${describe(href)}`);
  return true;
}

test('the early reading of the fixed cases: what it shows, the package reads the same; what it leaves, it leaves', () => {
  const code = 'f3a1c0de9b8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c';
  const shown = [
    `https://me.example/cb?auth_code=${code}&code=${code}&state=s`,
    `https://me.example/cb?auth_code=${code}&auth_code=${code}`,
    `https://me.example/cb?auth_code=${code}&code=`,
    `https://me.example/cb?state=&auth_code=${code}`,
    `https://me.example/cb?auth_code=C0D%45`, // decoded as the package decodes it
    `https://me.example/cb?auth_code=${code}#`, // an empty fragment is no fragment
    `https://me.example/cb?auth_code=${'a'.repeat(2048)}`,
  ];
  for (const href of shown) assert.ok(agree(href, 'fixed'), `shown early: ${href}`);
  const left = [
    `https://me.example/cb?auth_code=${code}&code=other`,
    `https://me.example/cb?auth_code=a&auth_code=b`,
    `https://me.example/cb?error=access_denied&auth_code=${code}`,
    `https://me.example/cb?auth_code=${code}&state=1&state=2`,
    `https://me.example/cb?auth_code=Call+support`,
    `https://me.example/cb?auth_code=${'a'.repeat(2049)}`,
    `https://me.example/cb?code=${code}`,
    `https://me.example/cb#auth_code=${code}`,
    `https://me.example/cb?auth_code=${code}#top`,
    `https://me.example/cb?auth_code=`,
  ];
  for (const href of left) assert.equal(earlyReading(href), null, href);
});

test(`early.js and the package agree on ${CASES} generated redirects (seed ${SEED})`, () => {
  const r = random(SEED);
  let shown = 0;
  for (let i = 0; i < CASES; i++) {
    const href = new URL(redirect(r)).href; // as the browser's location gives it
    if (agree(href, `case ${i} (EARLY_SEED=${SEED})`)) shown++;
  }
  // The generator reaches both sides: redirects shown early, and ones left to the package.
  assert.ok(shown > CASES * 0.15 && shown < CASES * 0.85, `${shown} of ${CASES} shown early`);
});
