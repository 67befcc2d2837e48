// Entry for browsers, web workers and bundlers (the `default` export condition).
// The WebAssembly module is fetched and instantiated once, when this module is first evaluated;
// every function is ready to call as soon as the `import` resolves.
import init, { __fail, __prepare, __read } from './tiktok_ads_auth.js';
import { network } from './net.js';

// Written as `new URL('./…', import.meta.url)` on purpose: bundlers (Vite, webpack 5, Parcel)
// recognise the pattern and emit the .wasm as an asset; without a bundler it resolves next to
// this file.
await init({ module_or_path: new URL('./tiktok_ads_auth_bg.wasm', import.meta.url) });

export {
  advertisersRequestCurl,
  authorizationUrl,
  isTikTokAuthError,
  normalizeApiBase,
  parseRedirect,
  parseTokenResponse,
  stateVerdict,
  stripRedirectParams,
  tokenRequestCurl,
} from './tiktok_ads_auth.js';

// The network calls: the wasm prepares each request and reads its answer, net.js sends it.
export const { exchangeAuthCode, getAdvertisers, revokeToken } = network(__prepare, __read, __fail);
