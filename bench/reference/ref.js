// The same parse and fetch as the real page, written directly in JavaScript with no wasm and
// no validation: what the benchmark compares the real page against.
const config = window.benchConfig;
const params = new URLSearchParams(location.search);
// bench/reference-wasm/ sets `benchParse`: the same page with the package's wasm doing the parse.
const code = window.benchParse ? window.benchParse(location.href) : params.get('auth_code') || params.get('code');
const button = document.getElementById('exchange');
document.getElementById('code').textContent = code || '(none)';
document.getElementById('app').value = config.appId;
history.replaceState(null, '', location.pathname);
let sending = false;
document.getElementById('form').addEventListener('submit', async (event) => {
  event.preventDefault();
  if (sending) return;
  sending = true;
  const body = JSON.stringify({
    app_id: document.getElementById('app').value,
    secret: document.getElementById('secret').value,
    auth_code: code,
  });
  const response = await fetch(config.apiBase + '/oauth2/access_token/', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body,
  });
  const answer = await response.json();
  document.getElementById('out').textContent = answer.code === 0 ? 'token received' : answer.message;
});
if (code) {
  button.disabled = false;
  performance.mark('tiktok-ads-auth:callback-ready');
}
