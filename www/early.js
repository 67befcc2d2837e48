// The callback view's first paint, before app.js and the WebAssembly have arrived: on a slow link
// the user reads the code and starts typing the secret meanwhile. On Slow 4G (1.6 Mbps) the
// WebAssembly alone is some 150 ms of transfer behind the HTML; see bench/RESULTS.md.
//
// It decides nothing. It copies a plain `?auth_code=…` (exactly one, not empty, no `error`) into
// the view as text, keeps the exchange button disabled and marks the view busy (`aria-busy`). When
// the package is ready, app.js reads the redirect with it as always (parseRedirect, stateVerdict),
// and the package's reading is the one shown and exchanged: it fills this view in, or replaces it
// with the package's error. What the user typed meanwhile stays in its field.
//
// It runs first, before config.js and policy.js (the policy admits no inline script; the built
// page carries this one inline), and shows the view as soon as the parser has passed the callback
// view's form. It also starts fetching and compiling the WebAssembly, for every view, at once.
(function () {
  'use strict';
  function early() {
    var params = new URLSearchParams(location.search);
    var codes = params.getAll('auth_code');
    // app.js refuses frames and browsers without WebAssembly: nothing to show there.
    if (window.top !== window.self || typeof WebAssembly !== 'object') return;
    if (codes.length !== 1 || !codes[0] || params.has('error') || location.hash) return;
    var view = document.getElementById('view-callback');
    var button = document.getElementById('exchange');
    document.getElementById('auth-code').textContent = codes[0];
    document.getElementById('state-verdict').textContent = 'Checking the code…';
    button.disabled = true;
    // "Loading…", and after a while "Still loading? Reload the page", where the button will work.
    button.parentNode.insertBefore(document.getElementById('loading'), button.nextSibling);
    view.setAttribute('aria-busy', 'true');
    view.hidden = false;
  }
  // As soon as the parser has passed the callback view's form, not at the end of the document.
  var watch = new MutationObserver(function () {
    if (!document.getElementById('exchange')) return;
    watch.disconnect();
    early();
  });
  watch.observe(document, { childList: true, subtree: true });
  // The WebAssembly is fetched and compiled off the main thread from here on, while the page
  // parses, shows this view and loads app.js, which instantiates it (or, should this fail, fetches
  // it itself and reports the error).
  if (typeof WebAssembly === 'object' && typeof WebAssembly.compileStreaming === 'function') {
    window.tiktokAdsAuthWasm = WebAssembly.compileStreaming(fetch('pkg/tiktok_ads_auth_bg.wasm'))
      .catch(function () { return null; });
  }
})();
