// Entry for browsers, web workers and bundlers (the `default` export condition).
// The WebAssembly module is fetched and instantiated once, when this module is first evaluated;
// every function is ready to call as soon as the `import` resolves.
import init from './tiktok_ads_auth.js';

// Written as `new URL('./…', import.meta.url)` on purpose: bundlers (Vite, webpack 5, Parcel)
// recognise the pattern and emit the .wasm as an asset; without a bundler it resolves next to
// this file.
await init({ module_or_path: new URL('./tiktok_ads_auth_bg.wasm', import.meta.url) });

export {
  advertisersRequestCurl,
  authorizationUrl,
  exchangeAuthCode,
  getAdvertisers,
  isTikTokAuthError,
  normalizeApiBase,
  parseRedirect,
  parseTokenResponse,
  revokeToken,
  stateVerdict,
  stripRedirectParams,
  tokenRequestCurl,
} from './tiktok_ads_auth.js';
