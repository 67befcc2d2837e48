// Sets the Content-Security-Policy before app.js, the stylesheet and anything that handles data
// from outside the page. Only early.js and config.js (the deployment's settings, read here) run
// before it: early.js requests the page's own .wasm and registers an observer, whose writes to
// the page come later, once the parser has reached the body. A <meta> policy can
// only be tightened after load, so the connect-src list is derived now from the deployment config
// and the remembered (non-secret) custom API base; choosing a new origin later needs a reload.
(function () {
  'use strict';
  var config = window.tiktokAdsAuthConfig || {};
  // The origins of the crate's PRODUCTION_API_BASE and SANDBOX_API_BASE, written in by the build
  // (scripts/build-page.mjs, PAGE_FACTS).
  var origins = [TIKTOK_FACTS.PRODUCTION_ORIGIN, TIKTOK_FACTS.SANDBOX_ORIGIN];
  // Only a plain scheme://host[:port] origin enters the policy: browsers keep characters such as
  // ";" or "*" in a host, and a ";" there would start a directive of its own. Plain http only for
  // this machine, as the package allows for an API base (ApiBase::parse, src/api_base.rs).
  var ORIGIN = /^(https:\/\/([a-z0-9-]+(\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])|http:\/\/(localhost|127(\.[0-9]{1,3}){3}|\[::1\]))(:[0-9]{1,5})?$/;
  function originOf(url) {
    try {
      var o = new URL(url).origin;
      return ORIGIN.test(o) ? o : null;
    } catch (e) {
      return null;
    }
  }
  function add(url) {
    var o = originOf(url);
    if (o && origins.indexOf(o) < 0) origins.push(o);
  }
  var envs = config.environments || {};
  Object.keys(envs).forEach(function (k) { add(envs[k]); });
  (config.extraConnectOrigins || []).forEach(add);
  var remembered = null;
  try {
    remembered = JSON.parse(localStorage.getItem('tiktok-ads-auth:settings') || 'null');
  } catch (e) { /* storage blocked or corrupt: use the defaults */ }
  if (remembered && typeof remembered.customApiBase === 'string') add(remembered.customApiBase);

  var meta = document.createElement('meta');
  meta.httpEquiv = 'Content-Security-Policy';
  meta.content = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; " +
    "img-src 'self' data: blob:; connect-src 'self' " + origins.join(' ') +
    "; object-src 'none'; base-uri 'none'; form-action 'none'; frame-src 'none'";
  document.head.appendChild(meta);
  document.documentElement.className = 'js'; // shows "Loading…" only where scripts run

  window.tiktokAdsAuthPolicy = {
    connectOrigins: origins.slice(),
    // True when the policy in force lets the page call `url`.
    allows: function (url) {
      var o = originOf(url);
      return o !== null && (o === location.origin || origins.indexOf(o) >= 0);
    }
  };
})();
