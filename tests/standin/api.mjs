// The three OAuth endpoints of the Marketing API, TikTok-like: token exchange, advertiser lookup
// and revocation, with real code and token bookkeeping, and the demo grant they answer with.

import { randomHex } from './state.mjs';

export const API_PREFIX = '/open_api/v1.3';

const CODE_LIFETIME_MS = 60 * 60 * 1000;

export const DEMO_ADVERTISERS = [
  { id: '7000000000000000001', name: 'Demo Shop EU' },
  { id: '7000000000000000002', name: 'Demo Shop US' },
];

// The demo grant's permission ids, as JSON text (the 19-digit id must not pass through a JS number).
// Evidence: a real 2025 answer carried `"scope":[210,200,10,220,30]` (OWOX `res/tiktok_queryresult.png`);
// 4 (Reporting), 100 and 7043626160646815746 ("Ad Insight Report", under Reporting, which the setup
// guide tells users to select) are permission ids from TikTok's "Permission scope" doc as compiled in
// ../shared/tiktok-scopes.json (docs/tiktok.md, "Token answer").
export const SCOPE_TEXT = '[4,10,100,200,210,220,30,7043626160646815746]';

export const API_ROUTES = {
  [`${API_PREFIX}/oauth2/access_token/`]: { method: 'POST', endpoint: 'access_token' },
  [`${API_PREFIX}/oauth2/advertiser/get/`]: { method: 'GET', endpoint: 'advertiser_get' },
  [`${API_PREFIX}/oauth2/revoke_token/`]: { method: 'POST', endpoint: 'revoke_token' },
};

// ------------------------------------------------------------------------------ TikTok-like endpoints
// Each returns { code, message?, data? }; the caller wraps it in the envelope.

export function exchangeAuthCode(scenario, req, { body, behaviour }) {
  const fields = jsonBodyFields(req, body, ['app_id', 'secret', 'auth_code']);
  if (fields.error) return { code: 40002, message: fields.error };
  const grant = scenario.codes.get(fields.auth_code);
  // Single use, one hour (TikTok docs copy; OWOX): docs/tiktok.md, "auth_code".
  if (!grant || grant.used || Date.now() - grant.issuedAt > CODE_LIFETIME_MS) return { code: 40110 };
  // A code of another flow (see `code-only`) is refused without being spent (assumed).
  if (grant.otherFlow) return { code: 40115 };
  if (grant.appId !== fields.app_id) {
    return { code: 40101, message: 'The app_id does not match the app the auth_code was issued to.' };
  }
  grant.used = true;
  const accessToken = randomHex(20);
  const advertiserIds = DEMO_ADVERTISERS.map((a) => a.id);
  scenario.tokens.set(accessToken, { appId: fields.app_id, advertiserIds });
  // Shape of a real answer: OWOX `res/tiktok_queryresult.png` (docs/tiktok.md, "Token answer").
  const scopeText = behaviour.scopeText ?? SCOPE_TEXT;
  return {
    code: 0,
    message: 'OK',
    dataText: `{"access_token":${JSON.stringify(accessToken)},"advertiser_ids":${JSON.stringify(advertiserIds)},"scope":${scopeText}}`,
  };
}

export function getAdvertisers(scenario, req, { target }) {
  const fields = requiredStrings(
    Object.fromEntries(['app_id', 'secret'].map((k) => [k, target.searchParams.get(k) ?? undefined])),
    ['app_id', 'secret'],
  );
  if (fields.error) return { code: 40002, message: fields.error };
  const accessToken = req.headers['access-token'];
  if (!accessToken) return { code: 40104 };
  const token = scenario.tokens.get(accessToken);
  if (!token) return { code: 40105 };
  if (token.appId !== fields.app_id) {
    return { code: 40101, message: 'The app_id does not match the app the access token was issued to.' };
  }
  const list = DEMO_ADVERTISERS.filter((a) => token.advertiserIds.includes(a.id)).map((a) => ({
    advertiser_id: a.id,
    advertiser_name: a.name,
  }));
  return { code: 0, message: 'OK', data: { list } };
}

export function revokeToken(scenario, req, { body, behaviour }) {
  const fields = jsonBodyFields(req, body, ['app_id', 'secret', 'access_token']);
  if (fields.error) return { code: 40002, message: fields.error };
  const token = scenario.tokens.get(fields.access_token);
  if (!token) return { code: 40105 };
  if (token.appId !== fields.app_id) {
    return { code: 40101, message: 'The app_id does not match the app the access token was issued to.' };
  }
  scenario.tokens.delete(fields.access_token);
  // The answer's shape is unverified (third-party clients only, docs/tiktok.md, "Revoke"):
  // `advertiser_ids` is assumed; `revoke-bare` answers without it.
  if (behaviour.revokeBare) return { code: 0, message: 'OK', data: {} };
  return { code: 0, message: 'OK', data: { advertiser_ids: token.advertiserIds } };
}

/** Validates a JSON request body the way TikTok reports it: code 40002 naming the field. */
function jsonBodyFields(req, body, names) {
  const mediaType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (mediaType !== 'application/json') return { error: 'Content-Type must be application/json' };
  let parsed;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { error: 'Request body is not valid JSON.' };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { error: 'Request body must be a JSON object.' };
  }
  return requiredStrings(parsed, names);
}

function requiredStrings(source, names) {
  const fields = {};
  for (const name of names) {
    const value = source[name];
    if (value === undefined || value === null) {
      return { error: `${name}: Missing data for required field.` };
    }
    if (typeof value !== 'string') return { error: `${name}: Not a valid string.` };
    if (value === '') return { error: `${name}: Field may not be empty.` };
    fields[name] = value;
  }
  return fields;
}
