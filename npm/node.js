// Entry for Node >= 18.7 (the `node` export condition).
// Node's fetch cannot read file: URLs, so the .wasm is read from disk and instantiated
// synchronously, once. No top-level await: `require('tiktok-ads-auth')` works where Node
// supports require() of ES modules.
import { webcrypto } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { __fail, __prepare, __read, initSync } from './tiktok_ads_auth.js';
import { network } from './net.js';

// A generated `state` comes from the global `crypto.getRandomValues`, which Node 18 only has as
// node:crypto's `webcrypto`. Installed only where it is missing, as the object Node >= 19 exposes.
if (typeof globalThis.crypto?.getRandomValues !== 'function') {
  Object.defineProperty(globalThis, 'crypto', { value: webcrypto, writable: true, configurable: true });
}

initSync({ module: readFileSync(new URL('./tiktok_ads_auth_bg.wasm', import.meta.url)) });

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
