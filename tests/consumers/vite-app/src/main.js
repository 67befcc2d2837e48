import { authorizationUrl, exchangeAuthCode, parseRedirect, stripRedirectParams } from 'tiktok-ads-auth';

const APP_ID = '7000000000000000001';
// Where TikTok lives; a local stand-in in the tests. A real app would hard-code TikTok's defaults.
const query = new URLSearchParams(location.search);
const authBase = query.get('auth_base') ?? undefined;
const apiBase = query.get('api_base') ?? undefined;
const redirectUri = location.origin + location.pathname;

// Synchronous calls work right after the import: the package has instantiated its wasm.
document.querySelector('#authorize').href = authorizationUrl({ appId: APP_ID, redirectUri, authBase }).url;

let authCode = null;
try {
  ({ authCode } = parseRedirect(location.href));
  document.querySelector('#code').textContent = authCode;
  history.replaceState(null, '', stripRedirectParams(location.href));
} catch (e) {
  document.querySelector('#code').textContent = `${e.kind}: ${e.message}`;
}

const result = document.querySelector('#result');
document.querySelector('#exchange').addEventListener('submit', async (event) => {
  event.preventDefault();
  const secret = new FormData(event.target).get('secret');
  try {
    const grant = await exchangeAuthCode({ appId: APP_ID, secret, authCode, apiBase });
    result.textContent = JSON.stringify({ accessToken: grant.accessToken, advertiserIds: grant.advertiserIds });
    result.dataset.state = 'done';
  } catch (e) {
    result.textContent = JSON.stringify({ name: e.name, kind: e.kind, code: e.code, hint: e.hint });
    result.dataset.state = 'failed';
  }
});
