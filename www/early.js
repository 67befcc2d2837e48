// The page's first paint, before app.js and the WebAssembly have arrived: on a slow link the user
// reads the code, chooses the environment and starts typing the secret meanwhile. On Slow 4G
// (1.6 Mbps) the WebAssembly alone is some 150 ms of transfer behind the HTML; see bench/RESULTS.md.
//
// For every view it fills the settings in: the environments of config.js, the remembered
// (non-secret) choices, and the environment's help text, which it keeps up to date from then on.
// app.js finds them filled and keeps what the user changed meanwhile.
//
// It decides nothing about the redirect. It copies a plain `?auth_code=…` (exactly one, not
// empty, no `error`) into the callback view as text, counts the code's hour down, keeps the
// exchange button disabled and marks the view busy (`aria-busy`); "Start over" there forgets the
// code and leaves the page as it opens without one. When the package is ready, app.js reads the
// redirect with it as always (parseRedirect, stateVerdict), and the package's reading is the one
// shown and exchanged: it takes this view over (the same countdown, from the arrival time kept
// in history.state), or replaces it with the package's error. What the user typed meanwhile
// stays in its field; nothing is stored here (the secret never is).
//
// It runs first, before config.js and policy.js (the policy admits no inline script; the built
// page carries this one inline, with the crate's facts written in for TIKTOK_FACTS.…: see
// scripts/build-page.mjs, headScript), and fills the page in as soon as the parser has passed the
// callback view's form (by then config.js has run). It also starts fetching and compiling the
// WebAssembly, for every view, at once.
(function () {
  'use strict';
  var params = new URLSearchParams(location.search);
  var $ = function (id) { return document.getElementById(id); };
  // The value of `name` when all its occurrences agree ('' when it is absent), else null.
  function same(name) {
    var all = params.getAll(name);
    for (var i = 1; i < all.length; i++) if (all[i] !== all[0]) return null;
    return all.length ? all[0] : '';
  }
  // Only a redirect the package will read as it is: printable ASCII, at most 2048 characters
  // (the package also takes others, and refuses spaces, control characters and longer codes),
  // `code` absent or the same, one state, no error. Anything else waits for the package.
  // (tests/page/early.test.mjs holds this reading to the package's on generated redirects.)
  function plain() {
    var code = same('auth_code');
    var also = same('code');
    if (code === null || !/^[!-~]{1,2048}$/.test(code) || also === null || (also && also !== code)) return null;
    if (same('state') === null || params.has('error') || location.hash || location.href.length > 65536) return null;
    return code;
  }

  // TikTok's sandbox runs no oauth2/* endpoint (docs/tiktok.md, "Sandbox"): said when it is
  // chosen (app.js shows this text again if the user authorizes anyway). The sandbox's host is
  // the crate's SANDBOX_API_BASE's (src/api_base.rs), written in by the build (PAGE_FACTS).
  var SANDBOX = 'TikTok’s sandbox does not run this authorization flow: a sandbox access token is generated on your app’s sandbox page in the TikTok developer portal (My Apps → your app → Sandbox), not exchanged from a code. Choose Production to get a token here.';

  // The settings app.js remembers (non-secret only: environment, App ID, custom API base).
  function remembered() {
    try {
      var s = JSON.parse(localStorage.getItem('tiktok-ads-auth:settings') || 'null');
      return s && typeof s === 'object' ? s : {};
    } catch (e) {
      return {};
    }
  }

  function settings(saved) {
    var config = window.tiktokAdsAuthConfig || {};
    var envs = config.environments || {};
    var labels = { production: 'Production', sandbox: 'Sandbox' };
    var select = $('environment');
    // Own keys only: an environment named "constructor" is labelled with its name.
    Object.keys(envs).forEach(function (name) { select.add(new Option(Object.hasOwn(labels, name) ? labels[name] : name, name)); });
    select.add(new Option('Custom API base (your relay)', 'custom'));
    function known(name) { return name === 'custom' || Object.hasOwn(envs, name); }
    select.value = known(saved.environment) ? saved.environment
      : known(config.defaultEnvironment) ? config.defaultEnvironment : select.options[0].value;
    $('app-id').value = saved.appId || (config.demo && config.demo.appId) || '';
    $('custom-base').value = typeof saved.customApiBase === 'string' ? saved.customApiBase : '';
    if (saved.appId) $('settings').querySelector('legend').textContent = 'Your TikTok app (remembered from last time)';
    function changed() {
      var env = select.value;
      var host = '';
      try { host = new URL(envs[env]).hostname; } catch (e) { /* custom, or not a URL */ }
      $('custom-field').hidden = env !== 'custom';
      $('environment-help').textContent = env === 'custom' ? 'Requests go to the API base you enter below.'
        : host === TIKTOK_FACTS.SANDBOX_HOST ? SANDBOX : 'Requests go to ' + envs[env];
    }
    select.addEventListener('change', changed);
    changed();
  }

  function early() {
    var saved = remembered();
    settings(saved);
    // app.js refuses frames and browsers without WebAssembly: nothing to show there.
    if (window.top !== window.self || typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function') return;
    var code = plain();
    if (code === null) return;
    var view = $('view-callback');
    var button = $('exchange');
    var loading = $('loading');
    // This view is early.js's until app.js shows a view (show() removes aria-busy).
    var mine = function () { return !view.hidden && view.hasAttribute('aria-busy'); };
    // When the code arrived: kept in history.state, so that a reload (the package failed to
    // load) and app.js count from the same moment.
    var arrivedAt = (history.state && history.state.arrivedAt) || Date.now();
    history.replaceState({ arrivedAt: arrivedAt }, '');
    // As app.js's tick, until app.js ticks.
    var tick = function () {
      if (!mine()) return clearInterval(timer);
      // The code lives the crate's AUTH_CODE_LIFETIME_SECS (src/lifetime.rs), written in by the build.
      var s = Math.ceil((arrivedAt + TIKTOK_FACTS.AUTH_CODE_LIFETIME_SECS * 1000 - Date.now()) / 1000);
      view.querySelector('.countdown').textContent = s > 0 ? Math.floor(s / 60) + ' min ' + (s % 60 < 10 ? '0' : '') + s % 60 + ' s' : 'expired';
      if (s <= 0) {
        clearInterval(timer);
        $('exchange-form').hidden = true;
        $('expired').hidden = false;
      }
    };
    var timer = setInterval(tick, 1000);
    $('auth-code').textContent = code;
    $('state-verdict').textContent = 'Checking the code…';
    button.disabled = true;
    // "Loading…", and after a while "Still loading? Reload the page", where the button will work.
    button.parentNode.insertBefore(loading, button.nextSibling);
    view.setAttribute('aria-busy', 'true');
    view.hidden = false;
    tick();
    // Start over (its buttons are parsed later, so the click is caught where it bubbles to): the
    // code and the secret go, the state issued for this authorization too, and the page is as it
    // opens without a code; app.js then shows the start view.
    document.addEventListener('click', function (event) {
      if (!mine() || !event.target.closest('.restart')) return;
      clearInterval(timer);
      try { sessionStorage.removeItem('tiktok-ads-auth:state'); } catch (e) { /* nothing stored */ }
      $('secret').value = '';
      $('auth-code').textContent = '';
      history.replaceState(null, '', location.pathname);
      view.removeAttribute('aria-busy');
      view.hidden = true;
      $('view-fatal').parentNode.insertBefore(loading, $('view-fatal'));
    });
  }
  // As soon as the parser has passed the callback view's form, not at the end of the document
  // (by then policy.js has set the Content-Security-Policy).
  var watch = new MutationObserver(function () {
    if (!$('exchange')) return;
    watch.disconnect();
    early();
  });
  watch.observe(document, { childList: true, subtree: true });
  // The WebAssembly is fetched from here on, and compiled off the main thread while the page
  // parses, shows this view and loads app.js, which instantiates the module. A response the
  // streaming compile would refuse (not ok, not served as application/wasm) goes to app.js as it
  // is, whose glue reads it another way or reports it, with no second download. (Not a clone of
  // every response, which would keep a second copy of the body and feed the compiler through a
  // JavaScript stream.)
  if (typeof WebAssembly === 'object') {
    var wasm = fetch('pkg/tiktok_ads_auth_bg.wasm').then(function (response) {
      var type = (response.headers.get('Content-Type') || '').split(';')[0].trim().toLowerCase();
      if (!response.ok || type !== 'application/wasm' || typeof WebAssembly.compileStreaming !== 'function') return response;
      // A module that does not compile: app.js fetches it again and says why.
      return WebAssembly.compileStreaming(response).catch(function () { return null; });
    });
    wasm.catch(function () { /* app.js reports it */ });
    Object.defineProperty(window, 'tiktokAdsAuthWasm', { value: wasm });
  }
})();
