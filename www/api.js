// The package, one instance for the whole page: its glue (which the build bundles into app.js with
// only the functions the page calls), and its network calls sent by the npm package's own module
// (net.js) with the deployment's time limit. Importing it runs no WebAssembly yet: app.js's `init`
// does, with the .wasm from pkg/, and nothing calls the package before that.
import init, {
  __fail, __prepare, __read, advertisersRequestCurl, authorizationUrl, parseRedirect,
  parseTokenResponse, stateVerdict, stripRedirectParams, tokenRequestCurl,
} from '../pkg/tiktok_ads_auth.js';
import { network } from '../npm/net.js';
import { config } from './settings.js';

export {
  init, advertisersRequestCurl, authorizationUrl, parseRedirect, parseTokenResponse, stateVerdict,
  stripRedirectParams, tokenRequestCurl,
};

const calls = network(__prepare, __read, __fail);
const limited = (call) => (request) => call({ ...request, timeoutMs: config.timeoutMs || undefined });
export const exchangeAuthCode = limited(calls.exchangeAuthCode);
export const getAdvertisers = limited(calls.getAdvertisers);
export const revokeToken = limited(calls.revokeToken);
