// Exchanges a TikTok auth code for a long-term access token and lists its advertisers.
//   TIKTOK_APP_SECRET=… node main.mjs APP_ID AUTH_CODE [API_BASE]
// The secret comes from the environment, never from the command line (shell history, `ps`).
import { exchangeAuthCode, getAdvertisers, isTikTokAuthError } from 'tiktok-ads-auth';

const [appId, authCode, apiBase] = process.argv.slice(2);
const secret = process.env.TIKTOK_APP_SECRET ?? '';

try {
  const grant = await exchangeAuthCode({ appId, secret, authCode, apiBase });
  const advertisers = await getAdvertisers({ accessToken: grant.accessToken, appId, secret, apiBase });
  console.log(JSON.stringify({ ...grant, advertisers }));
} catch (error) {
  if (!isTikTokAuthError(error)) throw error;
  const code = error.code === undefined ? '' : ` ${error.code}`;
  console.error(`${error.kind}${code}: ${error.message}`);
  if (error.hint) console.error(error.hint);
  if (error.requestId) console.error(`request id: ${error.requestId}`);
  process.exitCode = 1;
}
