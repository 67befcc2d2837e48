// Wires the page to the tiktok-ads-auth package. Every decision about URLs, state, codes,
// responses and errors is the package's; this file only moves values between it and the DOM.
// Everything that came from TikTok is written with textContent, never as HTML.

// A static import: the page build bundles the package's glue into app.js (one request, no module
// waterfall), with only the functions named here. Importing it runs no WebAssembly yet; `init`
// does, with the .wasm from pkg/, and nothing below calls the package before that.
import init, {
  authorizationUrl, exchangeAuthCode, getAdvertisers, normalizeApiBase, parseRedirect,
  parseTokenResponse, revokeToken, stateVerdict, stripRedirectParams, tokenRequestCurl,
} from './pkg/tiktok_ads_auth.js';

const WASM_URL = new URL('pkg/tiktok_ads_auth_bg.wasm', import.meta.url);

const config = window.tiktokAdsAuthConfig || {};
const policy = window.tiktokAdsAuthPolicy;
const SETTINGS_KEY = 'tiktok-ads-auth:settings'; // non-secret only: environment, custom API base, App ID
const STATE_KEY = 'tiktok-ads-auth:state';
const CODE_LIFETIME_MS = 60 * 60 * 1000; // TikTok's auth_code lives one hour
const ENV_LABELS = { production: 'Production', sandbox: 'Sandbox' };

const $ = (id) => document.getElementById(id);
const el = (tag, cls, text) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
};

// Memory only: never written to storage, a URL, history, the console or an attribute.
const session = {};
let pendingState = null;
let timer = 0;
let view = null;

const KINDS = {
  invalid_input: ['Please check what you entered',
    'Something you entered is not in the form TikTok expects.',
    'Correct it and try again.'],
  missing_auth_code: ['No authorization code in this address',
    'You arrived here without an authorization code from TikTok, so there is nothing to exchange.',
    'Start over and authorize the app with TikTok.'],
  authorization_denied: ['TikTok did not authorize the app',
    'The authorization was cancelled or refused on TikTok’s side.',
    'Start over and accept the requested permissions, or ask an admin of the advertiser account to do it.'],
  state_mismatch: ['This answer does not match the authorization started here',
    'The redirect carries a different “state” than the one this page issued, so it may not answer your request. To protect you, the code was not exchanged.',
    'Start over from this page. If you opened a link someone sent you, close it.'],
  network: ['Your browser got no answer from TikTok',
    'The request got no answer at all. TikTok’s API often refuses calls made directly from a web page (the browser’s CORS protection), and the browser then reports exactly this. You may also be offline, or the API address may be unreachable. The code has most likely not been used.',
    'Finish in a terminal with the command below, or check your connection and try again.'],
  timeout: ['TikTok did not answer in time',
    'No answer arrived within the time limit. The request may still have reached TikTok and used the code.',
    'Try once more. If TikTok then says the code was already used, start over to get a new one.'],
  http_status: ['TikTok’s server answered with an error',
    'The server answered with an HTTP error status instead of a result — usually a temporary problem at TikTok or at your relay.',
    'Wait a minute and try again. If it keeps failing, check the environment (API base) you chose.'],
  api_error: ['TikTok refused the request',
    'TikTok answered, but with an error code instead of a token.',
    'Quote the request ID below if you contact TikTok support.'],
  invalid_response: ['TikTok’s answer could not be read',
    'An answer arrived, but it is not the JSON TikTok sends: it may be cut off, or come from a different server.',
    'Check the environment (API base) you chose. The code may have been used: if trying again says so, start over.'],
  unexpected: ['Something went wrong',
    'An unexpected error occurred in this page.',
    'Reload the page and try again.'],
};

// ---- storage: optional, may throw (privacy modes), never holds a code, secret or token ----

function loadSettings() {
  try {
    const s = JSON.parse(localStorage.getItem(SETTINGS_KEY) || 'null');
    return s && typeof s === 'object' ? s : {};
  } catch {
    return {};
  }
}

function saveSettings() {
  const s = { environment: $('environment').value, appId: $('app-id').value.trim() };
  const custom = $('custom-base').value.trim();
  if (custom) s.customApiBase = custom;
  try { localStorage.setItem(SETTINGS_KEY, JSON.stringify(s)); } catch { /* not remembered */ }
}

function issuedState() {
  try { return sessionStorage.getItem(STATE_KEY); } catch { return null; }
}

function rememberState(state) {
  try { sessionStorage.setItem(STATE_KEY, state); } catch { /* verdict will be "not issued here" */ }
}

function forgetState() {
  try { sessionStorage.removeItem(STATE_KEY); } catch { /* nothing stored */ }
}

// ---- views and announcements ----

function show(name) {
  view = name;
  $('loading').hidden = true;
  for (const v of ['fatal', 'start', 'callback', 'result', 'error']) $('view-' + v).hidden = v !== name;
  // For the benchmark: the view is in place and usable (focusing below forces the first layout).
  performance.mark('tiktok-ads-auth:' + name + '-ready');
  $('view-' + name).querySelector('h1').focus();
}

function announce(text) {
  const status = $('status');
  status.textContent = text;
  clearTimeout(announce.timer);
  announce.timer = setTimeout(() => { status.textContent = ''; }, 8000);
}

function fatal(title, text) {
  $('fatal-heading').textContent = title;
  $('fatal-text').textContent = text;
  $('demo-banner').hidden = true;
  show('fatal');
}

async function copy(text, what) {
  try {
    await navigator.clipboard.writeText(text);
    announce(what + ' copied to the clipboard.');
  } catch {
    announce('Could not copy: select the text and press Ctrl+C (⌘C on a Mac).');
  }
}

function renderError(box, error, withTitle) {
  const kind = error && Object.hasOwn(KINDS, error.kind) ? error.kind : 'unexpected';
  const [title, what, next] = KINDS[kind];
  box.replaceChildren();
  box.className = 'error-box';
  if (withTitle) box.append(el('p', 'error-title', title));
  box.append(el('p', '', what));
  // For TikTok's known codes the package knows the specific next step.
  box.append(el('p', 'next', kind === 'api_error' && error.hint ? error.hint : next));
  const dl = el('dl', 'facts details');
  const fact = (label, value) => {
    if (value === undefined || value === null || value === '') return;
    dl.append(el('dt', '', label), el('dd', '', String(value)));
  };
  fact('Message', error && error.message);
  fact('TikTok code', error && error.code);
  fact('HTTP status', error && error.status);
  fact('Request ID', error && error.requestId);
  fact('Error kind', kind);
  box.append(dl);
  box.hidden = false;
  return title;
}

// ---- settings shared by the start and callback views ----

function setupSettings() {
  const fieldset = $('settings-template').content.firstElementChild.cloneNode(true);
  document.querySelector('#view-start .slot').append(fieldset);
  const select = $('environment');
  for (const name of Object.keys(config.environments || {})) {
    select.append(new Option(ENV_LABELS[name] || name, name));
  }
  select.append(new Option('Custom API base (your relay)', 'custom'));

  const saved = loadSettings();
  session.appIdRemembered = Boolean(saved.appId);
  $('app-id').value = saved.appId || (config.demo && config.demo.appId) || '';
  $('custom-base').value = typeof saved.customApiBase === 'string' ? saved.customApiBase : '';
  const known = (name) => name === 'custom' || Object.hasOwn(config.environments || {}, name);
  select.value = known(saved.environment) ? saved.environment
    : known(config.defaultEnvironment) ? config.defaultEnvironment : select.options[0].value;

  select.addEventListener('change', () => { environmentChanged(); saveSettings(); });
  $('custom-base').addEventListener('change', () => checkCustomBase());
  $('app-id').addEventListener('input', updateAuthLink);
  $('app-id').addEventListener('change', saveSettings);
  $('apply-base').addEventListener('click', reloadForPolicy);
  environmentChanged();
}

function environmentChanged() {
  const env = $('environment').value;
  $('custom-field').hidden = env !== 'custom';
  $('environment-help').textContent = env === 'custom'
    ? 'Requests go to the API base you enter below.'
    : 'Requests go to ' + config.environments[env];
  if (env === 'custom') checkCustomBase();
}

// Validates the custom API base with the package; returns it, or null when unusable yet.
// An empty field is only reported when the base is about to be used.
function checkCustomBase(reportEmpty = false) {
  const input = $('custom-base');
  const error = $('custom-base-error');
  $('custom-reload').hidden = true;
  error.hidden = true;
  input.removeAttribute('aria-invalid');
  const raw = input.value.trim();
  if (!raw && !reportEmpty) return null;
  let base;
  try {
    base = normalizeApiBase(raw);
  } catch (e) {
    error.textContent = e.message;
    error.hidden = false;
    input.setAttribute('aria-invalid', 'true');
    return null;
  }
  input.value = base;
  if (!policy.allows(base)) {
    const button = $('apply-base');
    button.textContent = view === 'callback' && $('secret').value
      ? 'Reload the page to allow this address (you will type the secret again: it is never stored)'
      : 'Reload the page to allow this address';
    $('custom-reload').hidden = false;
    return null;
  }
  saveSettings();
  return base;
}

// A <meta> CSP cannot be loosened, so a new origin needs a reload; policy.js reads the saved base.
function reloadForPolicy() {
  saveSettings();
  if (session.authCode) {
    // parseRedirect also reads the fragment, so the code survives the reload without storage.
    const params = new URLSearchParams({ auth_code: session.authCode });
    if (session.returnedState) params.set('state', session.returnedState);
    history.replaceState({ arrivedAt: session.arrivedAt }, '', location.pathname + location.search + '#' + params);
  } else {
    history.replaceState({ redirectUri: $('redirect-uri').value }, '', location.href);
  }
  location.reload();
}

function apiBase() {
  const env = $('environment').value;
  return env === 'custom' ? checkCustomBase(true) : config.environments[env];
}

const timeoutMs = () => config.timeoutMs || undefined;

// ---- start view ----

function showStart() {
  document.querySelector('#view-start .slot').append($('settings'));
  const saved = history.state && history.state.redirectUri;
  $('redirect-uri').value = saved || location.origin + location.pathname;
  $('start-error').hidden = true;
  show('start');
  updateAuthLink();
}

function authorization() {
  return authorizationUrl({
    appId: $('app-id').value.trim(),
    redirectUri: $('redirect-uri').value.trim(),
    state: pendingState || undefined,
    authBase: config.authBase || undefined,
  });
}

function updateAuthLink() {
  if (view !== 'start') return; // a new state only for a new authorization
  try {
    // Kept in memory until the link is used, so merely opening this page never makes a
    // link copied from TikTok's portal (same tab, other state) count as a mismatch.
    const { url, state } = authorization();
    pendingState = state;
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
  let link;
  try {
    link = authorization();
  } catch (e) {
    $('start-error').textContent = e.message;
    $('start-error').hidden = false;
    return;
  }
  rememberState(link.state);
  pendingState = link.state;
  location.assign(link.url);
}

// ---- callback view ----

function showCallback(verdict) {
  document.querySelector('#exchange-form .slot').append($('settings'));
  $('auth-code').textContent = session.authCode;
  const note = $('state-verdict');
  if (verdict === 'verified') {
    note.className = 'notice good';
    note.textContent = 'State verified: this code answers the authorization started from this page.';
  } else {
    note.className = 'notice warn';
    note.textContent = 'This page did not start this authorization (for example, the link was copied from TikTok’s developer portal, or opened in another browser), so it cannot confirm the code is meant for you. Continue only if you started it yourself.';
  }
  $('exchange-error').hidden = true;
  $('settings').querySelector('legend').textContent = session.appIdRemembered
    ? 'Your TikTok app (remembered from last time)' : 'Your TikTok app';
  tick();
  clearInterval(timer);
  timer = setInterval(tick, 1000);
  show('callback');
  // Browsers compile WebAssembly functions on their first call: build a token request once now,
  // while the user types (tokenRequestCurl shares the exchange's checks and sends nothing), so
  // that the click sends the request sooner.
  (window.requestIdleCallback || setTimeout)(() => {
    try { tokenRequestCurl({ appId: '1', secret: 'warm-up', authCode: 'warm-up' }); } catch { /* only a warm-up */ }
  });
}

function expired() {
  return Date.now() >= session.arrivedAt + CODE_LIFETIME_MS;
}

function tick() {
  if (!session.authCode) return;
  const left = session.arrivedAt + CODE_LIFETIME_MS - Date.now();
  if (left <= 0) {
    clearInterval(timer);
    for (const c of document.querySelectorAll('.countdown')) c.textContent = 'expired';
    $('exchange-form').hidden = true;
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
  if (session.inFlight || !session.authCode) return;
  if (expired()) { tick(); return; }
  const button = $('exchange');
  const request = {
    appId: $('app-id').value.trim(),
    secret: $('secret').value,
    authCode: session.authCode,
  };
  const base = apiBase();
  if (base === null) {
    if ($('custom-reload').hidden) $('custom-base').focus();
    else $('apply-base').focus();
    return;
  }
  request.apiBase = base;
  session.inFlight = true;
  // The request leaves first (the call sends it synchronously); the page updates while it travels.
  let pending;
  try {
    pending = exchangeAuthCode({ ...request, timeoutMs: timeoutMs() });
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
    Object.assign(session, { appId: request.appId, secret: request.secret, apiBase: base, authCode: null });
    forgetState();
    showResult(grant);
  } catch (e) {
    if (e.kind === 'invalid_input') {
      announce(renderError($('exchange-error'), e, true));
    } else {
      Object.assign(session, { appId: request.appId, secret: request.secret, apiBase: base });
      let curl = null;
      if (e.kind === 'network') {
        try { curl = tokenRequestCurl(request); } catch { /* no fallback without a valid request */ }
      }
      showError(e, { retry: true, curl });
    }
  } finally {
    session.inFlight = false;
    button.disabled = false;
    button.textContent = 'Get access token';
  }
}

// ---- error view ----

function showError(error, { retry = false, curl = null } = {}) {
  const title = renderError($('error-body'), error, false);
  $('error-heading').textContent = title;
  $('fallback').hidden = !curl;
  $('curl').textContent = curl || '';
  $('pasted').value = '';
  $('paste-error').hidden = true;
  $('retry').hidden = !retry;
  show('error');
  announce(title);
}

function readPasted() {
  try {
    const grant = parseTokenResponse($('pasted').value);
    $('pasted').value = '';
    $('curl').textContent = '';
    session.authCode = null;
    forgetState();
    showResult(grant);
  } catch (e) {
    announce(renderError($('paste-error'), e, true));
  }
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

function showResult(grant) {
  clearInterval(timer);
  $('auth-code').textContent = '';
  session.grant = grant;
  session.names = new Map();
  maskToken();
  const list = $('advertisers');
  list.replaceChildren();
  for (const id of grant.advertiserIds) {
    const item = el('li');
    item.dataset.advertiserId = id;
    const button = el('button', 'copy', 'Copy');
    button.type = 'button';
    button.setAttribute('aria-label', 'Copy advertiser ID ' + id);
    button.addEventListener('click', () => copy(id, 'Advertiser ID ' + id));
    item.append(el('span', 'name'), el('code', 'id', id), button);
    list.append(item);
  }
  $('request-id').textContent = grant.requestId || '—';
  $('scope').textContent = grant.scope.length ? grant.scope.join(', ') : '—';
  $('result-api-base').textContent = session.apiBase;
  $('revoked-note').hidden = true;
  $('revoke').disabled = false;
  $('revoke-error').hidden = true;
  show('result');
  const n = grant.advertiserIds.length;
  announce('Access token received for ' + n + (n === 1 ? ' advertiser account.' : ' advertiser accounts.'));
  lookUpNames(grant);
}

async function lookUpNames(grant) {
  const note = $('advertisers-note');
  if (!grant.advertiserIds.length) {
    note.textContent = 'TikTok returned no advertiser accounts for this token.';
    return;
  }
  note.textContent = 'Looking up the advertiser names…';
  try {
    const advertisers = await getAdvertisers({
      accessToken: grant.accessToken, appId: session.appId, secret: session.secret,
      apiBase: session.apiBase, timeoutMs: timeoutMs(),
    });
    if (session.grant !== grant) return;
    for (const a of advertisers) session.names.set(a.advertiserId, a.advertiserName);
    for (const item of $('advertisers').children) {
      item.querySelector('.name').textContent = session.names.get(item.dataset.advertiserId) || '';
    }
    note.textContent = '';
  } catch (e) {
    // Non-fatal: the IDs are what tools need (and the sandbox has no advertiser names).
    if (session.grant === grant) note.textContent = 'Advertiser names are not available: ' + e.message;
  }
}

function toggleReveal() {
  const button = $('reveal');
  if (button.getAttribute('aria-pressed') === 'true') {
    maskToken();
  } else {
    $('token').textContent = session.grant.accessToken;
    button.setAttribute('aria-pressed', 'true');
    button.textContent = 'Hide';
  }
}

function download() {
  const g = session.grant;
  const result = {
    access_token: g.accessToken,
    advertiser_ids: g.advertiserIds,
    advertisers: g.advertiserIds.map((id) => ({ advertiser_id: id, advertiser_name: session.names.get(id) || null })),
    scope: g.scope,
    request_id: g.requestId,
    app_id: session.appId || null,
    api_base: session.apiBase || null,
    obtained_at: new Date().toISOString(),
  };
  // The token goes into a blob, never into a page URL.
  const url = URL.createObjectURL(new Blob([JSON.stringify(result, null, 2) + '\n'], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = 'tiktok-access-token.json';
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  announce('Download started: keep the file as safe as a password.');
}

async function revoke() {
  $('revoke-dialog').close();
  if (session.revoking) return;
  session.revoking = true;
  const grant = session.grant;
  $('revoke').disabled = true;
  $('revoke-error').hidden = true;
  announce('Revoking the token…');
  try {
    await revokeToken({
      accessToken: grant.accessToken, appId: session.appId, secret: session.secret,
      apiBase: session.apiBase, timeoutMs: timeoutMs(),
    });
    $('revoked-note').hidden = false;
    $('revoked-note').focus();
    announce('The token has been revoked.');
  } catch (e) {
    $('revoke').disabled = false;
    announce('Revoking failed: ' + renderError($('revoke-error'), e, true));
  } finally {
    session.revoking = false;
  }
}

// ---- start over: forget everything secret ----

function restart() {
  clearInterval(timer);
  for (const key of ['authCode', 'returnedState', 'secret', 'grant', 'names', 'apiBase']) delete session[key];
  pendingState = null;
  forgetState();
  $('secret').value = '';
  $('pasted').value = '';
  $('curl').textContent = '';
  $('token').replaceChildren();
  $('auth-code').textContent = '';
  $('exchange-form').hidden = false;
  $('expired').hidden = true;
  history.replaceState(null, '', stripRedirectParams(location.href));
  showStart();
}

// ---- boot ----

function wire() {
  $('start-form').addEventListener('submit', authorize);
  $('redirect-uri').addEventListener('input', updateAuthLink);
  $('exchange-form').addEventListener('submit', exchange);
  for (const b of document.querySelectorAll('.restart')) b.addEventListener('click', restart);
  $('retry').addEventListener('click', () => { $('exchange-error').hidden = true; show('callback'); });
  $('read-pasted').addEventListener('click', readPasted);
  $('reveal').addEventListener('click', toggleReveal);
  $('copy-token').addEventListener('click', () => copy(session.grant.accessToken, 'Access token'));
  $('copy-curl').addEventListener('click', () => copy($('curl').textContent, 'Command'));
  $('copy-auth-url').addEventListener('click', () => {
    rememberState(pendingState);
    copy($('auth-url').textContent, 'Authorization link');
  });
  document.querySelector('[data-copy="redirect-uri"]').addEventListener('click', () => copy($('redirect-uri').value, 'Redirect URL'));
  $('download').addEventListener('click', download);
  $('revoke').addEventListener('click', () => $('revoke-dialog').showModal());
  $('revoke-cancel').addEventListener('click', () => $('revoke-dialog').close());
  $('revoke-confirm').addEventListener('click', revoke);
}

function begin() {
  wire();
  setupSettings();
  if (config.demo) {
    $('demo-banner').textContent = 'Demo: this page talks to a local TikTok stand-in, not to TikTok. ' + (config.demo.note || '');
    $('demo-banner').hidden = false;
  }
  const href = location.href;
  const clean = stripRedirectParams(href);
  let redirect;
  try {
    redirect = parseRedirect(href);
  } catch (e) {
    history.replaceState(history.state, '', clean);
    if (e.kind === 'missing_auth_code' && clean === href) {
      showStart();
    } else {
      showError(e);
    }
    return;
  }
  // Read once, then gone from the address bar, so it never lands in history or bookmarks.
  const arrivedAt = (history.state && history.state.arrivedAt) || Date.now();
  history.replaceState({ arrivedAt }, '', clean);
  Object.assign(session, { authCode: redirect.authCode, returnedState: redirect.state, arrivedAt });
  let verdict;
  try {
    verdict = stateVerdict({ expected: issuedState(), returned: redirect.state });
  } catch (e) {
    session.authCode = null;
    showError(e);
    return;
  }
  showCallback(verdict);
}

async function boot() {
  if (window.top !== window.self) {
    fatal('This page cannot be used inside a frame',
      'To protect your app secret and access token, it only works when opened directly. Open it in its own browser tab.');
    return;
  }
  if (typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function') {
    fatal('WebAssembly is not available',
      'This page exchanges the code inside your browser with WebAssembly, which this browser has turned off or does not support. Use a current Chrome, Edge, Firefox or Safari, or ask your administrator to allow WebAssembly. Nothing you entered has been sent anywhere.');
    return;
  }
  try {
    await init({ module_or_path: WASM_URL });
    performance.mark('tiktok-ads-auth:wasm-ready');
  } catch (e) {
    fatal('The page could not load its WebAssembly module',
      'Reload the page to try again; the authorization code, if any, is still in the address. If it keeps failing, the site is missing the pkg/ folder or blocks .wasm files. (' + String(e && e.message) + ')');
    return;
  }
  begin();
}

boot();
