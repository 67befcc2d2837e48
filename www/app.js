// The page's composition root: it starts the tiktok-ads-auth package, wires the views, and moves
// values between the package and the DOM; nothing imports it. Every decision about URLs, state,
// codes, responses and errors is the package's. Everything that came from TikTok is written with
// textContent, never as HTML. What the views share lives in modules that import
// no view: dom.js (text into the page), flow.js (the authorization this tab works on), ui.js
// (show, announce, copy, render an error), settings.js (the deployment's and the user's settings)
// and api.js (the package, one instance). result.js and check.js, loaded with import() when they
// may be needed so that the first load stays small, use those too; what they need of this module
// (showResult, codeUsed) it hands them when it loads them (`connect`).
import {
  init, authorizationUrl, exchangeAuthCode, parseRedirect, stateVerdict, stripRedirectParams,
  tokenRequestCurl,
} from './api.js';
import { $, el, plain } from './dom.js';
import { flow, replaceFlow } from './flow.js';
import { apiBase, checkCustomBase, config, saveSettings } from './settings.js';
import { announce, copy, renderError, show } from './ui.js';

const WASM_URL = new URL('pkg/tiktok_ads_auth_bg.wasm', import.meta.url);

const STATE_KEY = 'tiktok-ads-auth:state';
// TikTok's auth_code lives one hour (docs/tiktok.md, "auth_code"). TIKTOK_FACTS.NAME: the crate's
// fact, written in by the build (scripts/build-page.mjs, PAGE_FACTS).
const CODE_LIFETIME_MS = TIKTOK_FACTS.AUTH_CODE_LIFETIME_SECS * 1000;

// ---- the state issued in the authorization link: sessionStorage, optional ----

function issuedState() {
  try { return sessionStorage.getItem(STATE_KEY); } catch { return null; }
}

function rememberState(state) {
  try { sessionStorage.setItem(STATE_KEY, state); } catch { /* verdict will be "not issued here" */ }
}

function forgetState() {
  try { sessionStorage.removeItem(STATE_KEY); } catch { /* nothing stored */ }
}

// ---- when the page cannot start ----

// What it means and what to do (result.js's FATAL[why]) is loaded
// only then, so the first load does not carry it; should that fail too, the page says to reload.
async function fatal(title, why, detail = '') {
  const text = await import('./result.js').then((m) => m.FATAL[why], () => 'Reload the page to try again.');
  $('fatal-heading').textContent = title;
  $('fatal-text').textContent = text + detail;
  $('demo-banner').hidden = true;
  show('fatal');
}

// ---- settings shared by the start and callback views ----

function setupSettings() {
  // early.js has filled them in (the environments, the remembered values, "remembered from last
  // time") and keeps the environment's help text; what the user changed before this ran is kept.
  $('environment').addEventListener('change', () => { environmentChanged(); saveSettings(); });
  $('custom-base').addEventListener('change', () => checkCustomBase());
  $('app-id').addEventListener('input', updateAuthLink);
  $('app-id').addEventListener('change', saveSettings);
  $('apply-base').addEventListener('click', reloadForPolicy);
  environmentChanged();
}

function environmentChanged() {
  if ($('environment').value === 'custom') checkCustomBase();
}

// TikTok's sandbox does not run the oauth2/* endpoints (docs/tiktok.md, "Sandbox"). The package
// refuses those calls there, and its error says so; early.js's help text for the sandbox warns
// earlier, when it is chosen, and authorize() repeats it before an authorization that could only
// end in that refusal.
function isSandbox(base) {
  try { return new URL(base).hostname === TIKTOK_FACTS.SANDBOX_HOST; } catch { return false; }
}

// A <meta> CSP cannot be loosened, so a new origin needs a reload; policy.js reads the saved base.
// The reload comes back to the same view with the same non-secret values: the App ID, environment
// and base through the remembered settings, the view (and the start view's redirect URL) through
// history.state, a code through the fragment. Never the secret or a token.
function reloadForPolicy() {
  saveSettings();
  if (flow.authCode) {
    // parseRedirect also reads the fragment, so the code survives the reload without storage.
    history.replaceState({ arrivedAt: flow.arrivedAt }, '', location.pathname + location.search + '#' + handBackParams(flow.handed));
  } else {
    history.replaceState({ view: flow.view, redirectUri: $('redirect-uri').value }, '', location.href);
  }
  location.reload();
}

// ---- start view ----

/**
 * The redirect URL this page proposes: its own address, and at the site's root without the
 * trailing slash (`http://localhost:8080`), the form TikTok's setup guides register (docs/tiktok.md,
 * "Redirect URLs"; Redpoint's TikTok guide, docs.redpointglobal.com/bpd/tiktok-api, shows
 * `redirect_uri=https%3A%2F%2Fwww.redpointglobal.com` and TikTok redirecting to
 * `https://www.redpointglobal.com?state=…&auth_code=…`). Whether TikTok compares `redirect_uri`
 * with the registered URL exactly is not known, so the page proposes the form people register, uses
 * it in the link, and asks to register the other form too (otherRedirectForm); under a sub-path
 * (`https://you.github.io/tiktok-auth/`) the address is the URL as it is. The browser asks for
 * `/` either way when TikTok sends the user to `http://localhost:8080?auth_code=…`.
 */
function ownRedirectUri() {
  return location.pathname === '/' ? location.origin : location.origin + location.pathname;
}

/**
 * The same URL with the final slash added or taken away, to register too (docs/tiktok.md,
 * "Redirect URLs": no one says whether TikTok compares them character for character); '' for an
 * address with a query or fragment, or none.
 */
function otherRedirectForm(uri) {
  if (!/^https?:\/\/[^?#]+$/.test(uri)) return '';
  return uri.endsWith('/') ? uri.slice(0, -1) : uri + '/';
}

function showStart() {
  settingsInto(document.querySelector('#view-start .slot'));
  const saved = history.state && history.state.redirectUri;
  $('redirect-uri').value = saved || ownRedirectUri();
  $('start-error').hidden = true;
  show('start');
  updateAuthLink();
}

function authorization() {
  return authorizationUrl({
    appId: $('app-id').value.trim(),
    redirectUri: $('redirect-uri').value.trim(),
    state: flow.pendingState || undefined,
    authBase: config.authBase || undefined,
  });
}

function updateAuthLink() {
  if (flow.view !== 'start') return; // a new state only for a new authorization
  const other = otherRedirectForm($('redirect-uri').value.trim());
  $('redirect-uri-other').textContent = other;
  $('redirect-uri-both').hidden = !other;
  try {
    // Kept in memory until the link is used, so merely opening this page never makes a
    // link copied from TikTok's portal (same tab, other state) count as a mismatch.
    const { url, state } = authorization();
    flow.pendingState = state;
    $('auth-url').textContent = url;
    $('copy-auth-url').disabled = false;
  } catch {
    $('auth-url').textContent = 'Enter your App ID to see the link.';
    $('copy-auth-url').disabled = true;
  }
}

function authorize(event) {
  event.preventDefault();
  saveSettings();
  const env = $('environment').value;
  if (env !== 'custom' && isSandbox(config.environments[env])) {
    $('start-error').textContent = $('environment-help').textContent;
    $('start-error').hidden = false;
    return;
  }
  let link;
  try {
    link = authorization();
  } catch (e) {
    $('start-error').textContent = e.message;
    $('start-error').hidden = false;
    return;
  }
  rememberState(link.state);
  flow.pendingState = link.state;
  location.assign(link.url);
}

// ---- callback view ----

// Moves the settings into `slot` (where early.js's view already has them, they stay: moving a
// focused field would take the focus from the user typing in it).
function settingsInto(slot) {
  if ($('settings').parentElement !== slot) slot.append($('settings'));
}

function showCallback(verdict, codeParam) {
  settingsInto(document.querySelector('#exchange-form .slot'));
  // The code as it came (exchanged exactly), shown with any bidirectional control neutralised:
  // a crafted link's U+202E would reorder it on screen.
  $('auth-code').textContent = plain(flow.authCode);
  const note = $('state-verdict');
  // Whoever authorized without owning the app can send the code back (see handBackParams); not
  // for a code this tab asked for, one handed over already, or one from another flow.
  const handBack = verdict !== 'verified' && !flow.handed && codeParam !== 'code';
  if (verdict === 'verified') {
    note.className = 'notice good';
    note.textContent = 'State verified: this code answers the authorization started from this page.';
  } else if (flow.handed) {
    note.className = 'notice';
    note.textContent = 'This code was handed to you. Continue only if you asked someone to authorize your app.';
  } else {
    note.className = 'notice warn';
    note.textContent = 'This page did not start this authorization (for example, the link was copied from TikTok’s developer portal, or opened in another browser), so it cannot confirm the code is meant for you. Continue only if you started it yourself.';
  }
  forgetHandBack();
  if (handBack) {
    // Built by result.js, which this view loads anyway (below).
    const started = flow;
    more().then((m) => { if (flow === started && flow.authCode && !expired()) m.showHandBack(handBackLink(), flow.arrivedAt + CODE_LIFETIME_MS); }, () => {});
  }
  // TikTok's advertiser flow sends both auth_code and code; `code` alone comes from another flow.
  $('code-param').hidden = codeParam !== 'code';
  $('exchange-error').hidden = true;
  $('exchange').disabled = false; // (disabled in early.js's view)
  tick();
  clearInterval(flow.timer);
  flow.timer = setInterval(tick, 1000);
  show('callback');
  // Browsers compile WebAssembly functions on their first call: build a token request once now,
  // while the user types (tokenRequestCurl shares the exchange's checks and sends nothing), so
  // that the click sends the request sooner.
  (window.requestIdleCallback || setTimeout)(() => {
    try { tokenRequestCurl({ appId: '1', secret: 'warm-up', authCode: 'warm-up' }); } catch { /* only a warm-up */ }
    more().catch(() => { /* tried again with the result */ }); // ready by the time the token arrives
  });
}

// ---- two people, one code ----
// The advertiser account's admin who authorizes the app may not own it: they land here with a
// code and no secret. The hand-back link carries the code to the app's owner in the fragment,
// which a browser never sends to a server (RFC 3986 section 3.5: the fragment is not part of the
// request), with the code's expiry so that the owner's countdown agrees. Opening it is a callback
// like any other: parseRedirect reads the fragment when the query has no code.

/** The fragment with this flow's code and state; `withExpiry` marks it as handed over. */
function handBackParams(withExpiry = true) {
  const params = new URLSearchParams({ auth_code: flow.authCode });
  if (flow.returnedState) params.set('state', flow.returnedState);
  if (withExpiry) params.set('expires', String(Math.floor((flow.arrivedAt + CODE_LIFETIME_MS) / 1000)));
  return params;
}

/** This page's address with the code in the fragment. */
function handBackLink() {
  return location.href.split('#')[0] + '#' + handBackParams();
}

/**
 * When the address is a hand-back link (no code in the query, an `expires` in Unix seconds in
 * the fragment), the code's expiry in milliseconds; otherwise null.
 */
function handedExpiry() {
  if (/[?&](auth_)?code=/.test(location.search)) return null;
  const expires = new URLSearchParams(location.hash.slice(1)).get('expires');
  return /^\d{1,12}$/.test(expires) ? expires * 1000 : null;
}

function expired() {
  return Date.now() >= flow.arrivedAt + CODE_LIFETIME_MS;
}

function tick() {
  if (!flow.authCode) return;
  const left = flow.arrivedAt + CODE_LIFETIME_MS - Date.now();
  if (left <= 0) {
    clearInterval(flow.timer);
    for (const c of document.querySelectorAll('.countdown')) c.textContent = 'expired';
    $('exchange-form').hidden = true;
    forgetHandBack();
    $('expired').hidden = false;
    announce('The code has expired. Start over to get a new one.');
    return;
  }
  const s = Math.ceil(left / 1000);
  const text = Math.floor(s / 60) + ' min ' + String(s % 60).padStart(2, '0') + ' s';
  for (const c of document.querySelectorAll('.countdown')) c.textContent = text;
}

async function exchange(event) {
  event.preventDefault();
  // The code is single-use: while a request is out, further clicks send nothing.
  if (flow.exchanging || !flow.authCode) return;
  if (expired()) { tick(); return; }
  const button = $('exchange');
  const request = {
    appId: $('app-id').value.trim(),
    secret: $('secret').value,
    authCode: flow.authCode,
  };
  const base = apiBase();
  if (base === null) return;
  request.apiBase = base;
  const started = flow;
  started.exchanging = true;
  // The request leaves first (the call sends it synchronously); the page updates while it travels.
  let pending;
  try {
    pending = exchangeAuthCode(request);
  } catch (e) {
    pending = Promise.reject(e);
  }
  button.disabled = true;
  button.textContent = 'Exchanging…';
  $('exchange-error').hidden = true;
  announce('Exchanging the code with TikTok…');
  saveSettings();
  try {
    const grant = await pending;
    // Started over meanwhile: that flow, its code and its secret are gone; so is this answer.
    if (flow !== started) return;
    Object.assign(flow, { appId: request.appId, secret: request.secret, apiBase: base });
    codeUsed();
    showResult(grant, { direct: true });
  } catch (e) {
    if (flow !== started) return;
    if (e.kind === 'invalid_input') {
      announce(renderError($('exchange-error'), e, true));
    } else {
      Object.assign(flow, { appId: request.appId, secret: request.secret, apiBase: base });
      let curl = null;
      if (e.kind === 'network') {
        try { curl = tokenRequestCurl(request); } catch { /* no fallback without a valid request */ }
      }
      // This error's texts and the terminal fallback come with result.js, loaded while the user
      // typed (showCallback): the error is shown with them.
      await more().catch(() => { /* shown without them (see renderError, showError) */ });
      if (flow !== started) return;
      showError(e, { retry: true, curl });
    }
  } finally {
    started.exchanging = false;
    button.disabled = false;
    button.textContent = 'Get access token';
  }
}

// ---- error view ----

function showError(error, { retry = false, curl = null } = {}) {
  const title = renderError($('error-body'), error, false);
  $('error-heading').textContent = title;
  // "Finish in a terminal" is built by result.js (see exchange).
  loaded?.fallback(curl);
  $('retry').hidden = !retry;
  // The field is out of sight now; the secret stays in memory (and in the command, when shown).
  $('secret').value = '';
  show('error');
  announce(curl && !loaded ? title + ' The command to finish in a terminal could not be loaded: check your connection and try again.' : title);
}

function backToCode() {
  loaded?.fallback(null);
  $('exchange-error').hidden = true;
  // Needed again for the retry: back into the field it was typed in, and only there.
  $('secret').value = flow.secret || '';
  flow.secret = null;
  show('callback');
}

// ---- result view ----

function maskToken() {
  const token = $('token');
  const dots = el('span', '', '•'.repeat(24));
  dots.setAttribute('aria-hidden', 'true');
  token.replaceChildren(dots, el('span', 'sr-only', 'hidden'));
  $('reveal').setAttribute('aria-pressed', 'false');
  $('reveal').textContent = 'Reveal';
}

/**
 * Shows a grant. `direct` says whether this browser reached the API itself (the exchange or the
 * token check answered); after the terminal fallback it did not, and a direct call would fail
 * again — with the secret in a URL that the browser then prints to its console.
 */
function showResult(grant, { direct }) {
  clearInterval(flow.timer);
  $('auth-code').textContent = '';
  $('secret').value = '';
  loaded?.fallback(null);
  flow.grant = grant;
  flow.names = grant.names ?? new Map();
  maskToken();
  const list = $('advertisers');
  list.replaceChildren();
  for (const id of grant.advertiserIds) {
    const item = el('li');
    item.dataset.advertiserId = id;
    const button = el('button', 'copy', 'Copy');
    button.type = 'button';
    button.setAttribute('aria-label', plain('Copy advertiser ID ' + id));
    button.addEventListener('click', () => copy(id, 'Advertiser ID ' + id));
    item.append(el('span', 'name', flow.names.get(id) || ''), el('code', 'id', id), button);
    list.append(item);
  }
  const n = grant.advertiserIds.length;
  // (An empty list is explained by result.js, which is loaded by now: the text stays off the first load.)
  $('advertisers-note').textContent = '';
  const warnings = grant.warnings ?? [];
  $('grant-warnings').hidden = !warnings.length;
  $('grant-warnings-list').replaceChildren(...warnings.map((w) => el('li', '', String(w))));
  // (The request ID, the permissions, the API base, download and revoke come with result.js.)
  for (const id of ['result-more', 'revoked-note']) $(id).hidden = true;
  show('result');
  const accounts = n + (n === 1 ? ' advertiser account.' : ' advertiser accounts.');
  announce(grant.names ? 'The token can read ' + accounts : 'Access token received for ' + accounts);
  const started = flow;
  more().then((m) => {
    if (flow === started && flow.grant === grant) m.resultShown(grant, direct);
  }, () => {
    if (flow !== started) return;
    const note = $('advertisers-note');
    note.textContent = (note.textContent + ' The names, permissions and texts for your tools could not be loaded; the token and IDs above are all you need.').trim();
  });
}

function toggleReveal() {
  const button = $('reveal');
  if (button.getAttribute('aria-pressed') === 'true') {
    maskToken();
  } else {
    $('token').textContent = flow.grant.accessToken;
    button.setAttribute('aria-pressed', 'true');
    button.textContent = 'Hide';
  }
}

/** The code is spent (exchanged, or its answer read): gone from memory, its state from storage, and from the page. */
function codeUsed() {
  flow.authCode = null;
  forgetState();
  $('auth-code').replaceChildren();
  forgetHandBack();
}

/** The hand-back carries the code: emptied, not only hidden, wherever it goes away. */
function forgetHandBack() {
  if ($('hand-back')) {
    $('hand-back').hidden = true;
    $('hand-back-link').replaceChildren();
  }
}

// The rest of the result view (names, permissions, tools, request ID, download, revoke), the
// terminal fallback of the error view, the hand-back and the redirect check are in result.js,
// loaded with import() when they may be needed (see showCallback); the token check is in
// check.js, loaded when its view is opened. The first load stays small. Should result.js fail to
// load, the token is still shown and can be copied. What they ask of this module, it hands them
// when it loads them: a grant to show, and the code spent (the paste of the terminal's answer).
const views = { showResult, codeUsed };
let moreModule = null;
let loaded = null; // result.js, once loaded
let checkLoaded = null; // check.js, once loaded
function more() {
  moreModule ??= import('./result.js').then((m) => {
    m.connect(views);
    loaded = m;
    return m;
  }, (e) => {
    moreModule = null; // try again next time
    throw e;
  });
  return moreModule;
}

/** Opens the token check (check.js, which shows its answer with result.js) when `still()` holds. */
function openCheck(still = () => true) {
  return Promise.all([import('./check.js'), more()]).then(([m]) => {
    m.connect(views);
    checkLoaded = m;
    if (still()) m.showCheck();
  });
}

// ---- start over: forget everything secret ----

function restart() {
  clearInterval(flow.timer);
  replaceFlow();
  forgetState();
  $('secret').value = '';
  for (const id of ['auth-code', 'token']) $(id).replaceChildren();
  // What the later modules hold and show (their fields, commands, hand-back, redirect check).
  loaded?.reset();
  checkLoaded?.reset();
  $('exchange-form').hidden = false;
  $('expired').hidden = true;
  $('exchange').disabled = false;
  $('exchange').textContent = 'Get access token';
  history.replaceState(null, '', stripRedirectParams(location.href));
  showStart();
}

// ---- boot ----

function wire() {
  $('start-form').addEventListener('submit', authorize);
  $('redirect-uri').addEventListener('input', updateAuthLink);
  $('exchange-form').addEventListener('submit', exchange);
  // Every "Start over", those the later modules build too.
  document.querySelector('main').addEventListener('click', (event) => {
    if (event.target.closest('.restart')) restart();
  });
  $('retry').addEventListener('click', backToCode);
  $('reveal').addEventListener('click', toggleReveal);
  $('copy-token').addEventListener('click', () => copy(flow.grant.accessToken, 'Access token'));
  // "Check a token you already have": its view is built by check.js.
  $('open-check').addEventListener('click', () => {
    openCheck().catch(() => announce('This part of the page could not be loaded. Check your connection and try again.'));
  });
  $('copy-auth-url').addEventListener('click', () => {
    rememberState(flow.pendingState);
    copy($('auth-url').textContent, 'Authorization link');
  });
  document.querySelector('[data-copy="redirect-uri"]').addEventListener('click', () => copy($('redirect-uri').value, 'Redirect URL'));
}

function begin() {
  wire();
  setupSettings();
  if (config.demo) {
    $('demo-banner').textContent = 'Demo: this page talks to a local TikTok stand-in, not to TikTok. ' + (config.demo.note || '');
    $('demo-banner').hidden = false;
  }
  const href = location.href;
  const handedUntil = handedExpiry();
  // A hand-back link's fragment is this page's own: all of it goes, `expires` too.
  const clean = stripRedirectParams(handedUntil === null ? href : href.split('#')[0]);
  let redirect;
  try {
    redirect = parseRedirect(href);
  } catch (e) {
    const saved = history.state;
    history.replaceState(saved, '', clean);
    if (e.kind === 'missing_auth_code' && clean === href) {
      showStart();
      // Back where the reload the page asked for (reloadForPolicy) left.
      if (saved?.view === 'check') openCheck(() => flow.view === 'start').catch(() => {});
    } else {
      showError(e);
      // Back from TikTok without a code: most often a redirect URL that differs from the
      // registered one (perhaps compared exactly) or one changed in the portal minutes ago
      // ("It can take up to 10 minutes for changes to your app's Advertiser redirect URL to be
      // active": Cyclr's TikTok for Business setup guide, community.cyclr.com).
      const uri = ownRedirectUri();
      more().then((m) => { if (flow.view === 'error') m.showRedirectCheck(uri, otherRedirectForm(uri)); }, () => {});
    }
    return;
  }
  // Read once, then gone from the address bar, so it never lands in history or bookmarks.
  const now = Date.now();
  // From a handed-over code's expiry, never later than now (a code lives an hour at most).
  const arrivedAt = handedUntil !== null
    ? Math.min(now, handedUntil - CODE_LIFETIME_MS)
    : (history.state && history.state.arrivedAt) || now;
  history.replaceState({ arrivedAt }, '', clean);
  Object.assign(flow, { authCode: redirect.authCode, returnedState: redirect.state, arrivedAt, handed: handedUntil !== null });
  let verdict;
  try {
    verdict = stateVerdict({ expected: issuedState(), returned: redirect.state });
  } catch (e) {
    flow.authCode = null;
    showError(e);
    return;
  }
  showCallback(verdict, redirect.codeParam);
}

async function boot() {
  if (window.top !== window.self) {
    fatal('This page cannot be used inside a frame', 'frame');
    return;
  }
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function') {
    fatal('WebAssembly is not available', 'webAssembly');
    return;
  }
  try {
    // What early.js fetched and compiled (or fetched only); the wasm's address if it did neither.
    const early = await window.tiktokAdsAuthWasm;
    const wasm = early instanceof WebAssembly.Module || early instanceof Response ? early : WASM_URL;
    await init({ module_or_path: wasm });
    performance.mark('tiktok-ads-auth:wasm-ready');
  } catch (e) {
    fatal('The page could not load its WebAssembly module', 'wasm', ' (' + String(e && e.message) + ')');
    return;
  }
  begin();
}

boot();
