// Sets the Content-Security-Policy before anything else loads. A <meta> policy can only be
// tightened after load, so the connect-src list is derived now from the deployment config and
// the remembered (non-secret) custom API base; choosing a new origin later needs a reload.
(function () {
  'use strict';
  var config = window.tiktokAdsAuthConfig || {};
  var origins = ['https://business-api.tiktok.com', 'https://sandbox-ads.tiktok.com'];
  function originOf(url) {
    try {
      var u = new URL(url);
      return u.protocol === 'https:' || u.protocol === 'http:' ? u.origin : null;
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
