/**
 * "Use it in your tools": the complete text each consumer of a TikTok Marketing API token asks for,
 * ready to copy. DOM-free and dependency-free; the result view loads it only when it shows a token.
 *
 *   Credentials = { accessToken: string, appId: string, secret?: string, advertiserIds: string[] }
 *     `secret` may be absent (undefined, null or ''): each format then leaves it out or says where
 *     to enter it, never the text "undefined".
 *
 *   Each returns the text to copy: JSON and .env end with a line break (they are files), the OWOX
 *   fields and the ingestr URI do not (they are pasted into a form or a command line).
 *
 *   formatOwox(creds: Credentials): string
 *     throws RangeError (naming the field, never its value) for a value with a line break
 *   formatAirbyte(creds: Credentials, options?: { startDate?: string, today?: Date, advertiserId?: string }): string
 *     the advertiser is options.advertiserId, else the first of creds.advertiserIds; throws
 *     RangeError when options.startDate is not a real YYYY-MM-DD date, or when
 *     options.advertiserId is not one of creds.advertiserIds
 *   formatIngestr(creds: Credentials, options?: { timezone?: string }): string
 *     OWOX, ingestr and .env throw RangeError for an advertiser id holding a comma, a semicolon or
 *     a line break (it would read as two ids)
 *   formatDotenv(creds: Credentials): string
 *     throws RangeError (naming the variable, never its value) for the rare values that dotenv
 *     or a shell sourcing the file would not read back exactly: see envValue below
 *   defaultStartDate(today?: Date): string   YYYY-MM-DD, 30 days before `today` (UTC)
 *   TOOLS: ReadonlyArray<{ id: 'owox' | 'airbyte' | 'ingestr' | 'dotenv', name: string,
 *       format(creds: Credentials, options?): string }>   one tab each, in display order (options:
 *       Airbyte's, see formatAirbyte; the others take none)
 */

const text = (value) => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');
// One value never becomes two fields: the OWOX text is one field a line, and OWOX, ingestr and the
// .env's TIKTOK_ADVERTISER_IDS split the advertiser ids on commas (OWOX on semicolons too). A value
// that would be read as more than it is gets a RangeError naming the field, never showing the value.
// Every break a line-splitting reader knows: Python's str.splitlines() also splits on U+001C–U+001E.
const LINE_BREAK = /[\n\v\f\r\u001c-\u001e\u0085\u2028\u2029]/;
function ids(creds) {
  const list = Array.isArray(creds.advertiserIds) ? creds.advertiserIds.map(text) : [];
  list.forEach((id, i) => {
    if (/[,;]/.test(id) || LINE_BREAK.test(id)) {
      throw new RangeError(`Advertiser ID ${i + 1} holds a comma, a semicolon or a line break, which would make it ` +
        'read as more than one ID. Copy the IDs on their own instead.');
    }
  });
  return list;
}
function oneLine(label, value) {
  if (LINE_BREAK.test(value)) {
    throw new RangeError(`${label} holds a line break, which would make it read as more than one field. ` +
      'Copy it on its own instead.');
  }
  return label + ': ' + value;
}
const secretOf = (creds) => text(creds.secret) || null;

// OWOX Data Marts, TikTok Ads source: the fields and labels of its form (OWOX/owox-data-marts,
// packages/connectors/src/Sources/TikTokAds/Source.js `parameters`: AccessToken "Access Token",
// AppId "App ID", AppSecret "App Secret", AdvertiserIDs "Advertiser IDs", the latter split on
// commas or semicolons by TikTokAdsHelper.parseAdvertiserIds).
export function formatOwox(creds = {}) {
  return [
    oneLine('Access Token', text(creds.accessToken)),
    oneLine('App ID', text(creds.appId)),
    oneLine('App Secret', secretOf(creds) ?? 'enter your App Secret here'),
    oneLine('Advertiser IDs', ids(creds).join(', ')),
  ].join('\n');
}

// Airbyte, source-tiktok-marketing: its connectionSpecification (airbytehq/airbyte,
// airbyte-integrations/connectors/source-tiktok-marketing/manifest.yaml `spec`; a copy is
// tests/page/airbyte-tiktok-spec.json) takes `credentials` {auth_type "oauth2.0", app_id, secret,
// access_token, advertiser_id} and `start_date`; nothing else is required (attribution_window,
// include_deleted and end_date have defaults). The spec says an empty `advertiser_id` means "all",
// but a setup without it fails its check ("The app_id is inconsistent with the token's app
// information") and passes once it is set (airbytehq/airbyte issue 80210, connector 5.0.11;
// docs/tiktok.md, "Consumers"). So the config names one advertiser: the chosen one, else the first;
// Airbyte reads one advertiser per source. Without advertisers it is left out (nothing to name).
// Without a secret, `secret` is left out too: JSON has no comments, and Airbyte's own check then
// names the missing field instead of failing later at TikTok with a placeholder.
export function formatAirbyte(creds = {}, options = {}) {
  const startDate = options.startDate === undefined ? defaultStartDate(options.today) : options.startDate;
  if (!isDate(startDate)) throw new RangeError('The start date must be a date written YYYY-MM-DD.');
  const granted = Array.isArray(creds.advertiserIds) ? creds.advertiserIds.map(text).filter(Boolean) : [];
  const chosen = options.advertiserId === undefined ? granted[0] : text(options.advertiserId);
  if (options.advertiserId !== undefined && !granted.includes(chosen)) {
    throw new RangeError('The advertiser for Airbyte must be one of the advertisers this token was granted.');
  }
  const secret = secretOf(creds);
  const credentials = { auth_type: 'oauth2.0', app_id: text(creds.appId) };
  if (secret !== null) credentials.secret = secret;
  credentials.access_token = text(creds.accessToken);
  if (chosen) credentials.advertiser_id = chosen;
  return JSON.stringify({ credentials, start_date: startDate }, null, 2) + '\n';
}

// Airbyte's own default is 2016-09-01, i.e. all history: the first sync then walks every report
// stream day by day (hourly ones hour by hour) since 2016. 30 days is ingestr's default window
// (docs/supported-sources/tiktok-ads.md) and a first sync that ends; the date is easy to change.
export function defaultStartDate(today = new Date()) {
  return new Date(today.getTime() - 30 * 86400000).toISOString().slice(0, 10);
}

function isDate(value) {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(value + 'T00:00:00Z');
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

// ingestr: `tiktok://?access_token=…&advertiser_ids=…[&timezone=…]` (bruin-data/ingestr,
// docs/supported-sources/tiktok-ads.md; pkg/source/tiktok_ads/tiktokads.go `parseURI` reads it with
// Go's url.ParseQuery and splits advertiser_ids on commas). timezone is optional (UTC by default,
// "set this value to the timezone of the advertiser account"); TikTok's advertiser list does not
// carry it, so it is added only when given. Each value is percent-encoded; the commas between
// advertiser ids are the list's separators and stay as they are.
export function formatIngestr(creds = {}, options = {}) {
  // encodeURIComponent leaves ! ' ( ) * as they are; in the double-quoted --source-uri "…" the
  // help suggests, an interactive bash or zsh expands `!` from its history. Go's ParseQuery
  // decodes the percent forms the same.
  const enc = (value) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
  let uri = 'tiktok://?access_token=' + enc(text(creds.accessToken)) +
    '&advertiser_ids=' + ids(creds).map(enc).join(',');
  if (text(options.timezone)) uri += '&timezone=' + enc(text(options.timezone));
  return uri;
}

export function formatDotenv(creds = {}) {
  const secret = secretOf(creds);
  return [
    '# TikTok Marketing API credentials. Keep this file private: never commit it.',
    'TIKTOK_APP_ID=' + envValue('TIKTOK_APP_ID', text(creds.appId)),
    ...(secret === null
      ? ['# Put your App Secret between the quotes and remove the "# " in front:', "# TIKTOK_APP_SECRET=''"]
      : ['TIKTOK_APP_SECRET=' + envValue('TIKTOK_APP_SECRET', secret)]),
    'TIKTOK_ACCESS_TOKEN=' + envValue('TIKTOK_ACCESS_TOKEN', text(creds.accessToken)),
    'TIKTOK_ADVERTISER_IDS=' + envValue('TIKTOK_ADVERTISER_IDS', ids(creds).join(',')),
  ].join('\n') + '\n';
}

// A .env file is read by the `dotenv` package and also sourced by POSIX shells (`set -a; . ./.env`),
// so every value is written in single quotes, the one quoting both read as it is: a shell expands
// nothing inside '…' ($(…), ${…} and backquotes run in "…" and `…`), and dotenv (motdotla/dotenv,
// `parse`) keeps the text between the quotes. Refused, naming the variable and never showing the
// value (none occur in TikTok's hex secrets and tokens or in digit ids): a ', which would end the
// quotes; a line break or carriage return (dotenv turns \r\n and \r into \n, and one value would
// become two lines); NUL, which a shell cannot hold; a lone UTF-16 surrogate, which no file holds;
// a backslash: python-dotenv reads \\ and \' inside single quotes as escapes, and dotenv takes a
// final one for an escaped closing quote; and `${`, which python-dotenv expands even there.
function envValue(name, value) {
  if (/['\n\r\0\\]|\$\{/.test(value) || /[\uD800-\uDFFF]/u.test(value)) {
    throw new RangeError(name + ' cannot be written to a .env file that dotenv and a shell read back exactly: ' +
      'it holds a single quote, a line break, a carriage return, a NUL, a backslash or ${. ' +
      'Copy it on its own instead.');
  }
  return "'" + value + "'";
}

export const TOOLS = [
  { id: 'owox', name: 'OWOX Data Marts', format: formatOwox },
  { id: 'airbyte', name: 'Airbyte', format: formatAirbyte },
  { id: 'ingestr', name: 'ingestr', format: formatIngestr },
  { id: 'dotenv', name: '.env', format: formatDotenv },
];
