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

// The one authorization this tab is working on. Memory only: never written to storage, a URL,
// history, the console or an attribute. Start over replaces it whole, so nothing of the old one
// survives; work that outlives its flow (a late answer) compares `flow` with the one it started
// in and drops what it got.
function newFlow() {
  return {
    view: null, // the view on screen
    pendingState: null, // the state in the authorization link on the start view, until it is used
    authCode: null, // the code from the redirect, until it is exchanged
    returnedState: null,
    arrivedAt: 0,
    timer: 0, // the countdown of the code's validity
    exchanging: false, // a request with the single-use code is out
    appId: null,
    secret: null,
    apiBase: null,
    grant: null,
    names: new Map(), // advertiser id → name, from getAdvertisers
    revoking: false,
    checking: false, // a token check is out
  };
}
let flow = newFlow();
// Whether the App ID field was filled from the remembered settings (the page's, not a flow's).
let appIdRemembered = false;

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
  // Only a base the package accepted: policy.js turns the remembered one into a CSP origin.
  try {
    const custom = $('custom-base').value.trim();
    if (custom) s.customApiBase = normalizeApiBase(custom);
  } catch { /* refused: not remembered */ }
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
  flow.view = name;
  $('loading').hidden = true;
  for (const v of ['fatal', 'start', 'check', 'callback', 'result', 'error']) $('view-' + v).hidden = v !== name;
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
  // Own keys only: an environment named "constructor" is labelled with its name.
  for (const name of Object.keys(config.environments || {})) {
    select.append(new Option(Object.hasOwn(ENV_LABELS, name) ? ENV_LABELS[name] : name, name));
  }
  select.append(new Option('Custom API base (your relay)', 'custom'));

  const saved = loadSettings();
  appIdRemembered = Boolean(saved.appId);
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
    : isSandbox(config.environments[env]) ? SANDBOX
      : 'Requests go to ' + config.environments[env];
  if (env === 'custom') checkCustomBase();
}

// TikTok's sandbox does not run the oauth2/* endpoints (SPEC section 2): an exchange or lookup
// there is doomed, so the page explains where sandbox tokens come from and sends nothing.
const SANDBOX = 'TikTok’s sandbox does not run this authorization flow: a sandbox access token is generated on your app’s sandbox page in the TikTok developer portal (My Apps → your app → Sandbox), not exchanged from a code. Choose Production to get a token here.';

function isSandbox(base) {
  try { return new URL(base).hostname === 'sandbox-ads.tiktok.com'; } catch { return false; }
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
    button.textContent = flow.view === 'callback' && $('secret').value
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
  if (flow.authCode) {
    // parseRedirect also reads the fragment, so the code survives the reload without storage.
    const params = new URLSearchParams({ auth_code: flow.authCode });
    if (flow.returnedState) params.set('state', flow.returnedState);
    history.replaceState({ arrivedAt: flow.arrivedAt }, '', location.pathname + location.search + '#' + params);
  } else {
    history.replaceState({ redirectUri: $('redirect-uri').value }, '', location.href);
  }
  location.reload();
}

/**
 * The API base to call, or null (with the reason shown, in `box` or at the field) when there is
 * none to call yet: an invalid custom base, a new origin that needs a reload, or the sandbox.
 */
function apiBase(box) {
  const env = $('environment').value;
  const base = env === 'custom' ? checkCustomBase(true) : config.environments[env];
  if (base === null) {
    if ($('custom-reload').hidden) $('custom-base').focus();
    else $('apply-base').focus();
    return null;
  }
  if (isSandbox(base)) {
    box.replaceChildren(el('p', 'error-title', 'Sandbox tokens do not come from this page'), el('p', '', SANDBOX));
    box.className = 'error-box';
    box.hidden = false;
    announce('Sandbox tokens do not come from this page. Nothing was sent.');
    return null;
  }
  return base;
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
    state: flow.pendingState || undefined,
    authBase: config.authBase || undefined,
  });
}

function updateAuthLink() {
  if (flow.view !== 'start') return; // a new state only for a new authorization
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
    $('start-error').textContent = SANDBOX;
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

function showCallback(verdict, codeParam) {
  document.querySelector('#exchange-form .slot').append($('settings'));
  $('auth-code').textContent = flow.authCode;
  const note = $('state-verdict');
  if (verdict === 'verified') {
    note.className = 'notice good';
    note.textContent = 'State verified: this code answers the authorization started from this page.';
  } else {
    note.className = 'notice warn';
    note.textContent = 'This page did not start this authorization (for example, the link was copied from TikTok’s developer portal, or opened in another browser), so it cannot confirm the code is meant for you. Continue only if you started it yourself.';
  }
  // TikTok's advertiser flow sends both auth_code and code; `code` alone comes from another flow.
  $('code-param').hidden = codeParam !== 'code';
  $('exchange-error').hidden = true;
  $('settings').querySelector('legend').textContent = appIdRemembered
    ? 'Your TikTok app (remembered from last time)' : 'Your TikTok app';
  tick();
  clearInterval(flow.timer);
  flow.timer = setInterval(tick, 1000);
  show('callback');
  // Browsers compile WebAssembly functions on their first call: build a token request once now,
  // while the user types (tokenRequestCurl shares the exchange's checks and sends nothing), so
  // that the click sends the request sooner.
  (window.requestIdleCallback || setTimeout)(() => {
    try { tokenRequestCurl({ appId: '1', secret: 'warm-up', authCode: 'warm-up' }); } catch { /* only a warm-up */ }
    loadTools().catch(() => { toolsModule = null; }); // ready by the time the token arrives
  });
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
  const base = apiBase($('exchange-error'));
  if (base === null) return;
  request.apiBase = base;
  const started = flow;
  started.exchanging = true;
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
    // Started over meanwhile: that flow, its code and its secret are gone; so is this answer.
    if (flow !== started) return;
    Object.assign(flow, { appId: request.appId, secret: request.secret, apiBase: base, authCode: null });
    forgetState();
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
  $('fallback').hidden = !curl;
  $('curl').textContent = curl || '';
  $('pasted').value = '';
  $('paste-error').hidden = true;
  $('retry').hidden = !retry;
  // The field is out of sight now; the secret stays in memory (and in the command, when shown).
  $('secret').value = '';
  show('error');
  announce(title);
}

function backToCode() {
  $('curl').textContent = '';
  $('pasted').value = '';
  $('exchange-error').hidden = true;
  // Needed again for the retry: back into the field it was typed in, and only there.
  $('secret').value = flow.secret || '';
  flow.secret = null;
  show('callback');
}

function readPasted() {
  try {
    const grant = parseTokenResponse($('pasted').value);
    $('pasted').value = '';
    $('curl').textContent = '';
    flow.authCode = null;
    forgetState();
    // This browser could not reach the API: no direct calls from here (see lookUpNames).
    showResult(grant, { direct: false });
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

/**
 * Shows a grant. `direct` says whether this browser reached the API itself (the exchange or the
 * token check answered); after the terminal fallback it did not, and a direct call would fail
 * again — with the secret in a URL that the browser then prints to its console.
 */
function showResult(grant, { direct }) {
  clearInterval(flow.timer);
  $('auth-code').textContent = '';
  $('secret').value = '';
  $('curl').textContent = '';
  flow.grant = grant;
  flow.names = new Map();
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
    item.append(el('span', 'name', grant.names?.get(id) || ''), el('code', 'id', id), button);
    list.append(item);
  }
  const warnings = grant.warnings ?? [];
  $('grant-warnings').hidden = !warnings.length;
  $('grant-warnings-list').replaceChildren(...warnings.map((w) => el('li', '', String(w))));
  $('request-id').textContent = grant.requestId || '—';
  $('scope').textContent = grant.scope?.length ? grant.scope.join(', ') : grant.scope ? '—' : 'not known (TikTok tells them only with a new token)';
  $('result-api-base').textContent = flow.apiBase;
  $('names-fallback').hidden = true;
  $('permissions-section').hidden = true;
  $('tools').hidden = true;
  showTools(grant);
  $('revoked-note').hidden = true;
  $('revoke').disabled = false;
  $('revoke-error').hidden = true;
  show('result');
  const n = grant.advertiserIds.length;
  const accounts = n + (n === 1 ? ' advertiser account.' : ' advertiser accounts.');
  announce(grant.names ? 'The token can read ' + accounts : 'Access token received for ' + accounts);
  if (grant.names) {
    flow.names = grant.names;
    $('advertisers-note').textContent = n ? '' : NO_ACCOUNTS;
  } else {
    lookUpNames(grant, direct);
  }
}

// The permission names and the export texts: a module of their own, loaded once a result is
// near (see showCallback) so that the first load stays small.
let toolsModule = null;
const loadTools = () => (toolsModule ??= import('./tools.js'));

async function showTools(grant) {
  let tools;
  try {
    tools = await loadTools();
  } catch {
    toolsModule = null; // try again with the next result
    if (flow.grant === grant) {
      $('owox-check').className = 'help';
      $('owox-check').textContent = 'The permission names and the texts for your tools could not be loaded. The token above is all you need; copy it from there.';
      $('permissions-section').hidden = false;
    }
    return;
  }
  if (flow.grant !== grant) return;
  tools.showPermissions(grant.scope);
  $('permissions-section').hidden = false;
  // The secret is in these texts only while this flow holds it in memory.
  tools.showTools(() => (flow.grant === grant ? {
    accessToken: grant.accessToken, appId: flow.appId, secret: flow.secret, advertiserIds: grant.advertiserIds,
  } : null), { copy, announce });
  $('tools').hidden = false;
}

const NO_ACCOUNTS = 'TikTok returned no advertiser accounts for this token: it can read no ad account. Start over, authorize again, and select at least one ad account on TikTok’s consent screen.';

async function lookUpNames(grant, direct) {
  const note = $('advertisers-note');
  if (!grant.advertiserIds.length) {
    note.textContent = NO_ACCOUNTS;
    return;
  }
  if (!direct) {
    note.textContent = 'Advertiser names were not looked up: this browser cannot reach TikTok’s API. To see them, run the command below in a terminal.';
    $('names-curl').textContent = namesCurl(true);
    $('names-fallback').hidden = false;
    return;
  }
  note.textContent = 'Looking up the advertiser names…';
  const started = flow;
  try {
    const advertisers = await getAdvertisers({
      accessToken: grant.accessToken, appId: flow.appId, secret: flow.secret,
      apiBase: flow.apiBase, timeoutMs: timeoutMs(),
    });
    if (flow !== started || flow.grant !== grant) return;
    for (const a of advertisers) flow.names.set(a.advertiserId, a.advertiserName);
    for (const item of $('advertisers').children) {
      item.querySelector('.name').textContent = flow.names.get(item.dataset.advertiserId) || '';
    }
    note.textContent = '';
  } catch (e) {
    // Non-fatal: the IDs are what tools need (and the sandbox has no advertiser names).
    if (flow === started && flow.grant === grant) note.textContent = 'Advertiser names are not available: ' + e.message;
  }
}

/** Quotes a word for a POSIX shell: inside single quotes nothing is special but `'` itself. */
const shellQuote = (word) => "'" + String(word).replace(/'/g, "'\\''") + "'";

/**
 * The advertiser/get request as a curl command, for a browser that cannot reach the API. The
 * screen shows it with dots for the token and the secret; the copy buttons copy it whole.
 */
function advertisersCurl({ apiBase: base, appId, secret, accessToken }, masked) {
  const hide = (v) => (masked ? '••••••••' : v);
  const url = base.replace(/\/+$/, '') + '/oauth2/advertiser/get/?app_id=' +
    encodeURIComponent(appId) + '&secret=' + hide(encodeURIComponent(secret || ''));
  return 'curl -g -sS ' + shellQuote(url) + ' \\\n  -H ' + shellQuote('Access-Token: ' + hide(accessToken));
}

const namesCurl = (masked) => advertisersCurl({ ...flow, accessToken: flow.grant.accessToken }, masked);

// ---- check a token you already have ----

function showCheck() {
  loadTools().catch(() => { toolsModule = null; });
  document.querySelector('#check-form .slot').append($('settings'));
  $('check-error').hidden = true;
  $('check-fallback').hidden = true;
  show('check');
}

/** What the check form holds now (the copy button builds its command from it). */
const checkFields = () => ({
  accessToken: $('check-token').value.trim(),
  appId: $('app-id').value.trim(),
  secret: $('check-secret').value,
});

async function checkToken(event) {
  event.preventDefault();
  if (flow.checking) return;
  const box = $('check-error');
  box.hidden = true;
  $('check-fallback').hidden = true;
  const base = apiBase(box);
  if (base === null) return;
  saveSettings();
  const fields = checkFields();
  const started = flow;
  started.checking = true;
  const button = $('check');
  button.disabled = true;
  button.textContent = 'Checking…';
  announce('Asking TikTok which accounts the token can read…');
  const ask = (accessToken, secret) => getAdvertisers({ ...fields, accessToken, secret, apiBase: base, timeoutMs: timeoutMs() });
  try {
    // TikTok wants the secret in advertiser/get's URL, and a browser prints the URL of a request
    // it blocked (CORS) to its console. So a request without credentials goes first: any answer
    // shows the API lets this page in; a network error sends the user to the terminal instead.
    try {
      await ask('probe', 'probe');
    } catch (e) {
      if (e.kind === 'network' || e.kind === 'invalid_input') throw e;
    }
    if (flow !== started) return;
    const advertisers = await ask(fields.accessToken, fields.secret);
    if (flow !== started) return;
    $('check-token').value = '';
    $('check-secret').value = '';
    Object.assign(flow, { appId: fields.appId, secret: fields.secret, apiBase: base });
    showResult({
      accessToken: fields.accessToken,
      advertiserIds: advertisers.map((a) => a.advertiserId),
      names: new Map(advertisers.map((a) => [a.advertiserId, a.advertiserName])),
      scope: null, // advertiser/get does not say which permissions the token has
      warnings: [],
      requestId: null,
    }, { direct: true });
  } catch (e) {
    if (flow !== started) return;
    announce(renderError(box, e, true));
    if (e.kind === 'network') {
      $('check-curl').textContent = advertisersCurl({ ...fields, apiBase: base }, true);
      $('check-fallback').hidden = false;
    }
  } finally {
    started.checking = false;
    button.disabled = false;
    button.textContent = 'Check the token';
  }
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

function download() {
  const g = flow.grant;
  const result = {
    access_token: g.accessToken,
    advertiser_ids: g.advertiserIds,
    advertisers: g.advertiserIds.map((id) => ({ advertiser_id: id, advertiser_name: flow.names.get(id) || null })),
    scope: g.scope,
    warnings: g.warnings ?? [],
    request_id: g.requestId,
    app_id: flow.appId || null,
    api_base: flow.apiBase || null,
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
  if (flow.revoking) return;
  const started = flow;
  started.revoking = true;
  const grant = flow.grant;
  $('revoke').disabled = true;
  $('revoke-error').hidden = true;
  announce('Revoking the token…');
  try {
    await revokeToken({
      accessToken: grant.accessToken, appId: flow.appId, secret: flow.secret,
      apiBase: flow.apiBase, timeoutMs: timeoutMs(),
    });
    if (flow !== started) return;
    $('revoked-note').hidden = false;
    $('revoked-note').focus();
    announce('The token has been revoked.');
  } catch (e) {
    if (flow !== started) return;
    $('revoke').disabled = false;
    announce('Revoking failed: ' + renderError($('revoke-error'), e, true));
  } finally {
    started.revoking = false;
  }
}

// ---- start over: forget everything secret ----

function restart() {
  clearInterval(flow.timer);
  flow = newFlow();
  forgetState();
  for (const id of ['secret', 'pasted', 'check-token', 'check-secret']) $(id).value = '';
  for (const id of ['curl', 'auth-code', 'token', 'check-curl', 'names-curl']) $(id).replaceChildren();
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
  for (const b of document.querySelectorAll('.restart')) b.addEventListener('click', restart);
  $('retry').addEventListener('click', backToCode);
  $('read-pasted').addEventListener('click', readPasted);
  $('reveal').addEventListener('click', toggleReveal);
  $('copy-token').addEventListener('click', () => copy(flow.grant.accessToken, 'Access token'));
  $('copy-curl').addEventListener('click', () => copy($('curl').textContent, 'Command'));
  $('copy-names-curl').addEventListener('click', () => copy(namesCurl(false), 'Command'));
  $('open-check').addEventListener('click', showCheck);
  $('check-form').addEventListener('submit', checkToken);
  $('copy-check-curl').addEventListener('click', () => {
    const base = apiBase($('check-error'));
    if (base !== null) copy(advertisersCurl({ ...checkFields(), apiBase: base }, false), 'Command');
  });
  $('copy-auth-url').addEventListener('click', () => {
    rememberState(flow.pendingState);
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
  Object.assign(flow, { authCode: redirect.authCode, returnedState: redirect.state, arrivedAt });
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
