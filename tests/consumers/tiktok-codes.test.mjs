// What users hit with the real TikTok (docs/tiktok.md, "Error codes", "Blockers", "Scopes"), through
// the packed package's public API, imported from its `node` entry, against the stand-in: each code
// TikTok answers gives an `api_error` whose hint says what that code means; a request that gets no
// answer names blockers beside CORS; the scope list of a real 2026 answer comes back exact.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startStandin } from '../standin/server.mjs';
import { APP_ID, packPackage } from './pack.mjs';

let pack, standin, api;

before(async () => {
  pack = packPackage();
  api = await import(pathToFileURL(join(pack.packageDir, pack.manifest.exports['.'].node)).href);
  standin = await startStandin({ port: 0 });
});

after(async () => {
  await standin?.close();
  pack?.cleanup();
});

const SECRET = 'S3cretOfTheApp';
const exchange = (behaviour, scenario = 'users') => api.exchangeAuthCode({
  appId: APP_ID, secret: SECRET, authCode: 'c0de', timeoutMs: 20_000,
  apiBase: `${standin.url}/s/${scenario}/${behaviour}/open_api/v1.3`,
});

/** The error `promise` rejects with; fails when it resolves. */
async function rejection(promise) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  assert.fail('resolved');
}

// TikTok's error list as compiled by api-evangelist/tiktok-ads (40130: reported, not verified here),
// and what each hint must say it means and what to do.
const CODES = {
  40001: [/^No permission for this advertiser or operation/, /An admin of the ad account should authorize again/],
  40002: [/parameter is missing or malformed/, /message names it/],
  40118: [/not on TikTok's allowlist/, /Apply for it/],
  40119: [/not in the same business/, /an advertiser of the developer's business/],
  40124: [/developer profile is incomplete or not approved/, /wait for approval/],
  40125: [/developer lacks the permission for this call/, /authorize again/],
  40130: [/not granted the permission this call needs/, /Authorize again/],
  40133: [/rate-limiting this advertiser/, /Wait a minute/],
  41000: [/IP address's country or region/, /your relay's/],
};

for (const [code, says] of Object.entries(CODES)) {
  test(`exchangeAuthCode answered ${code}: an api_error whose hint says what ${code} means`, async () => {
    const e = await rejection(exchange(`code-${code}`));
    assert.ok(api.isTikTokAuthError(e), String(e));
    assert.equal(e.kind, 'api_error');
    assert.equal(e.code, Number(code));
    assert.match(e.message, new RegExp(`^TikTok refused the request \\(code ${code}\\): `));
    assert.equal(typeof e.hint, 'string');
    for (const phrase of says) assert.match(e.hint, phrase);
    assert.ok(!e.hint.includes(SECRET) && !e.message.includes(SECRET));
  });
}

test('each of these codes has its own hint, 40001 no longer speaks of a mismatch, an unknown code has none', async () => {
  const hints = new Map();
  for (const code of Object.keys(CODES)) hints.set(code, (await rejection(exchange(`code-${code}`))).hint);
  assert.equal(new Set(hints.values()).size, hints.size);
  assert.doesNotMatch(hints.get('40001'), /do not match|mismatch|do not belong to the same app/);
  const unknown = await rejection(exchange('code-40134'));
  assert.equal(unknown.kind, 'api_error');
  assert.equal(unknown.code, 40134);
  assert.equal(unknown.hint, undefined);
});

test('a request with no answer: the network hint names blockers, DNS filters and firewalls beside CORS', async () => {
  const e = await rejection(exchange('drop'));
  assert.equal(e.kind, 'network');
  for (const phrase of [/CORS/, /content blocker/, /DNS filter/, /company firewall/, /business-api\.tiktok\.com/,
    /another browser or network/, /also stops curl and a relay on that machine/, /tokenRequestCurl/]) {
    assert.match(e.hint, phrase);
  }
});

test('a real 2026 answer\'s scope list comes back exact, with no warning', () => {
  const body = '{"code":0,"message":"OK","request_id":"r","data":{"access_token":"ec3e0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b",' +
    '"advertiser_ids":["7504697128674066433"],"scope":[800,700,802,7543056879933489153,7580203444061896721,220,30]}}';
  const grant = api.parseTokenResponse(body);
  assert.deepEqual(grant.scope, ['800', '700', '802', '7543056879933489153', '7580203444061896721', '220', '30']);
  assert.deepEqual(grant.advertiserIds, ['7504697128674066433']);
  assert.deepEqual(grant.warnings, []);
});
