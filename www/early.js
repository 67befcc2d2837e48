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
  var params = new URLSearchParams(location.search);
  // The value of `name` when all its occurrences agree ('' when it is absent), else null.
  function same(name) {
    var all = params.getAll(name);
    for (var i = 1; i < all.length; i++) if (all[i] !== all[0]) return null;
    return all.length ? all[0] : '';
  }
  // Only a redirect the package will read as it is: printable ASCII, at most 2048 characters
  // (the package also takes others, and refuses spaces, control characters and longer codes),
  // `code` absent or the same, one state, no error. Anything else waits for the package.
  function plain() {
    var code = same('auth_code');
    var also = same('code');
    if (code === null || !/^[!-~]{1,2048}$/.test(code) || also === null || (also && also !== code)) return null;
    if (same('state') === null || params.has('error') || location.hash || location.href.length > 65536) return null;
    return code;
  }
  function early() {
    // app.js refuses frames and browsers without WebAssembly: nothing to show there.
    if (window.top !== window.self || typeof WebAssembly !== 'object' || typeof WebAssembly.instantiate !== 'function') return;
    var code = plain();
    if (code === null) return;
    var view = document.getElementById('view-callback');
    var button = document.getElementById('exchange');
    document.getElementById('auth-code').textContent = code;
    document.getElementById('state-verdict').textContent = 'Checking the code…';
    button.disabled = true;
    // "Loading…", and after a while "Still loading? Reload the page", where the button will work.
    button.parentNode.insertBefore(document.getElementById('loading'), button.nextSibling);
    view.setAttribute('aria-busy', 'true');
    view.hidden = false;
  }
  // As soon as the parser has passed the callback view's form, not at the end of the document
  // (by then policy.js has set the Content-Security-Policy).
  var watch = new MutationObserver(function () {
    if (!document.getElementById('exchange')) return;
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
