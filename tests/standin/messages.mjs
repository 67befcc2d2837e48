// TikTok's error messages, by code, as `code-N` and the TikTok-like endpoints answer them.

// TikTok's messages where a real one is known; the others are assumed wordings of the code's meaning
// as TikTok's error-code list describes it (docs/tiktok.md, "Error codes").
const TIKTOK_MESSAGES = {
  40000: 'Bad request.', // assumed
  // 40001 is a permission refusal (TikTok's error list: "No permission to perform the related
  // operation."; PostHog's TikTok Ads tests quote "advertiser does not grant you …" and "The advertiser
  // 123 doesn't exist or has been deleted." under it); docs/tiktok.md, "Error codes". Wording assumed.
  40001: 'No permission to perform the related operation.',
  40002: 'Parameter error. Please see error message for details.', // assumed
  40100: 'Too many requests. Please retry in some time.', // assumed
  40101: 'The app_id, secret or auth_code do not match.', // assumed
  40102: 'Access token has expired.', // assumed
  40104: 'Access token is empty. Pass it in the Access-Token request header.', // assumed
  40105: 'Access token is incorrect or has been revoked.', // assumed
  40107: 'Refreshing is not supported for this access token.', // assumed
  // Real wording, as the public evidence behind docs/tiktok.md, "Error codes", quotes it.
  40110: 'The auth_code is canceled. Please re-authorize and try again with a new auth_code.',
  40113: 'The app is blocked or does not exist.', // assumed
  // 40115: the code belongs to another flow (creator / account holder, or sandbox vs production);
  // docs/tiktok.md, "Error codes" (PostHog pull request 78577). Wording assumed.
  40115: 'The auth_code does not belong to this authorization type.',
  // The codes users report, worded as TikTok's error list describes them (docs/tiktok.md, "Error
  // codes"; 40133 as its example message; 40130's meaning is reported, not verified). Wording assumed.
  40118: 'The app or advertiser is not on the allowlist for accessing the feature.',
  40119: 'Developer and advertisers do not belong to the same company.',
  40124: 'The developer profile is not filled in and approved.',
  40125: "The developer doesn't have the permission.",
  40130: 'The scope is not authorized.',
  40133: 'Advertiser (7000000000000000001)\'s QPS (20) reaches QPS limit 10 for current path, request is temporarily restricted.',
  41000: 'The client IP is on the banned country list.',
  50000: 'System error. Please try again later.', // assumed
  51000: 'Internal service error. Please try again later.', // assumed
  60001: 'The service is under maintenance. Please try again later.', // assumed
};

export function tiktokMessage(code) {
  return TIKTOK_MESSAGES[code] ?? `Request failed with code ${code}.`;
}
