// www/exports.js: each "Use it in your tools" text, read back the way its tool reads it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import dotenv from 'dotenv';
import {
  TOOLS, defaultStartDate, formatAirbyte, formatDotenv, formatIngestr, formatOwox,
} from '../../www/exports.js';

// Quotes of every kind, $, #, spaces, backslashes and a line break: what a .env, a JSON string and a
// URL each have to carry through.
const NASTY = ' s3cr"et \'$HOME\' #not-a-comment \\n \\\\ `x`\nline2 ';
const creds = {
  accessToken: 'ec3e5a0c2b7e4c1f9d8a6b5c4d3e2f1a0b9c8d7e',
  appId: '7000000000000000001',
  secret: '0123456789abcdef0123456789abcdef01234567',
  advertiserIds: ['7504697128674066433', '7043626160646815746'],
};
const TODAY = new Date('2026-11-29T23:59:59Z');

const spec = JSON.parse(readFileSync(new URL('airbyte-tiktok-spec.json', import.meta.url), 'utf8'));
const ajv = new Ajv({ allErrors: true });
addFormats(ajv);
ajv.addVocabulary(['airbyte_secret', 'order']); // Airbyte's UI hints, not validation keywords
const validateAirbyte = ajv.compile(spec);

test('every tool has a name and gives text, without a secret too, never "undefined" or "null"', () => {
  assert.deepEqual(TOOLS.map((t) => [t.id, t.name]),
    [['owox', 'OWOX Data Marts'], ['airbyte', 'Airbyte'], ['ingestr', 'ingestr'], ['dotenv', '.env']]);
  for (const tool of TOOLS) {
    for (const secret of [creds.secret, undefined, null, '']) {
      const out = tool.format({ ...creds, secret });
      assert.equal(typeof out, 'string');
      assert.equal(out.endsWith('\n'), tool.id === 'airbyte' || tool.id === 'dotenv', tool.id);
      assert.doesNotMatch(out, /undefined|null/, tool.id);
      if (!secret) assert.ok(!out.includes(creds.secret), tool.id);
    }
    assert.doesNotMatch(tool.format({}) + tool.format(), /undefined|null/, tool.id);
  }
});

test('OWOX Data Marts: the four fields of its TikTok Ads source, advertiser ids comma-separated', () => {
  assert.equal(formatOwox(creds), [
    'Access Token: ec3e5a0c2b7e4c1f9d8a6b5c4d3e2f1a0b9c8d7e',
    'App ID: 7000000000000000001',
    'App Secret: 0123456789abcdef0123456789abcdef01234567',
    'Advertiser IDs: 7504697128674066433, 7043626160646815746',
  ].join('\n'));
  // OWOX splits the field the way TikTokAdsHelper.parseAdvertiserIds does.
  const field = formatOwox(creds).match(/^Advertiser IDs: (.*)$/m)[1];
  assert.deepEqual(field.split(/[,;]\s*/).map((id) => id.trim()).filter(Boolean), creds.advertiserIds);
  assert.match(formatOwox({ ...creds, secret: undefined }), /^App Secret: enter your App Secret here$/m);
});

test('Airbyte: the config validates against source-tiktok-marketing\'s connectionSpecification', () => {
  for (const secret of [creds.secret, NASTY]) {
    const out = formatAirbyte({ ...creds, secret, accessToken: NASTY }, { today: TODAY });
    const config = JSON.parse(out);
    assert.ok(validateAirbyte(config), JSON.stringify(validateAirbyte.errors));
    assert.deepEqual(config, {
      credentials: { auth_type: 'oauth2.0', app_id: creds.appId, secret, access_token: NASTY },
      start_date: '2026-10-30',
    });
  }
});

test('Airbyte: the spec itself refuses what is wrong, so the validation above can fail', () => {
  const good = JSON.parse(formatAirbyte(creds, { today: TODAY }));
  const bad = [
    { ...good, start_date: '30/10/2026' },
    { ...good, credentials: { ...good.credentials, auth_type: 'oauth2' } },
    { ...good, credentials: { ...good.credentials, app_id: 7 } },
  ];
  for (const config of bad) assert.equal(validateAirbyte(config), false, JSON.stringify(config));
});

test('Airbyte: without a secret, `secret` is left out and the spec names it as missing', () => {
  const config = JSON.parse(formatAirbyte({ ...creds, secret: undefined }, { today: TODAY }));
  assert.equal('secret' in config.credentials, false);
  assert.equal(validateAirbyte(config), false);
  assert.ok(validateAirbyte.errors.some((e) => e.params.missingProperty === 'secret'));
});

test('Airbyte: start_date is 30 days back by default, or the date given, and must be a real date', () => {
  assert.equal(defaultStartDate(new Date('2026-03-01T00:00:00Z')), '2026-01-30');
  assert.equal(defaultStartDate(TODAY), '2026-10-30');
  assert.match(defaultStartDate(), /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(JSON.parse(formatAirbyte(creds, { startDate: '2024-02-29' })).start_date, '2024-02-29');
  for (const startDate of ['2023-02-29', '2026-13-01', '2026-1-01', '', null, 20260101]) {
    assert.throws(() => formatAirbyte(creds, { startDate }), RangeError, String(startDate));
  }
});

test('ingestr: the URI reads back through URL with every value exact', () => {
  const token = 'a&b=c+d%20e#f?g/h é 🙂' + NASTY;
  const ids = ['7504697128674066433', '1&2', ' 3%'];
  const out = formatIngestr({ ...creds, accessToken: token, advertiserIds: ids }, { timezone: 'America/New_York' });
  assert.doesNotMatch(out, /[\s#]/); // one line, nothing a shell or URL parser would cut
  const url = new URL(out);
  assert.equal(url.protocol, 'tiktok:');
  assert.equal(url.hash, '');
  assert.deepEqual([...url.searchParams.keys()], ['access_token', 'advertiser_ids', 'timezone']);
  assert.equal(url.searchParams.get('access_token'), token);
  assert.deepEqual(url.searchParams.get('advertiser_ids').split(','), ids);
  assert.equal(url.searchParams.get('timezone'), 'America/New_York');
});

test('ingestr: the documented form, advertiser ids comma-separated, no timezone unless given', () => {
  assert.equal(formatIngestr(creds),
    'tiktok://?access_token=ec3e5a0c2b7e4c1f9d8a6b5c4d3e2f1a0b9c8d7e' +
    '&advertiser_ids=7504697128674066433,7043626160646815746');
});

/** Writes creds as .env text and reads it back with dotenv. */
function throughDotenv(values) {
  return dotenv.parse(formatDotenv(values));
}

test('.env: dotenv reads every value back exactly, the secret with quotes, $, #, spaces and backslashes', () => {
  const quotesDollarHashSpacesBackslashes = ' a "quoted" \'secret\' $HOME ${X} #not-a-comment C:\\dir\\n \\ ';
  for (const secret of [creds.secret, quotesDollarHashSpacesBackslashes, NASTY.replace(/`/g, ''), "it's", 'say "hi" it\'s', 'a\'b"c`d', 'x\\', '\\', 'a b\\', '$HOME ${X}', '#', ' ']) {
    const values = { ...creds, secret, accessToken: secret + 'T' };
    assert.deepEqual(throughDotenv(values), {
      TIKTOK_APP_ID: creds.appId,
      TIKTOK_APP_SECRET: secret,
      TIKTOK_ACCESS_TOKEN: secret + 'T',
      TIKTOK_ADVERTISER_IDS: creds.advertiserIds.join(','),
    }, JSON.stringify(secret));
  }
});

test('.env: single quotes for ordinary values; a carriage return is written as \\r inside double quotes', () => {
  assert.match(formatDotenv(creds), /^TIKTOK_APP_SECRET='0123456789abcdef0123456789abcdef01234567'$/m);
  assert.equal(throughDotenv({ ...creds, secret: 'a\r\nb\rc' }).TIKTOK_APP_SECRET, 'a\r\nb\rc');
});

test('.env: without a secret, the variable is a commented-out line to fill in', () => {
  const out = formatDotenv({ ...creds, secret: undefined });
  assert.match(out, /^# TIKTOK_APP_SECRET=''$/m);
  const parsed = dotenv.parse(out);
  assert.equal('TIKTOK_APP_SECRET' in parsed, false);
  assert.equal(parsed.TIKTOK_ACCESS_TOKEN, creds.accessToken);
  // Filled in as the comment says, it reads back.
  const filled = out.replace("# TIKTOK_APP_SECRET=''", "TIKTOK_APP_SECRET='s3cret'");
  assert.equal(dotenv.parse(filled).TIKTOK_APP_SECRET, 's3cret');
});

test('.env: the one value no quoting carries is refused by name, without showing the value', () => {
  for (const secret of ['\'"`#', ' \'"`', '\'"`\n', '`a\'"', '\'"` ', 'a\'"`b\r\\n', '#\\', 'a\nb\\', ' \\']) {
    assert.throws(() => formatDotenv({ ...creds, secret }), (error) => {
      assert.ok(error instanceof RangeError);
      assert.match(error.message, /^TIKTOK_APP_SECRET /);
      assert.ok(!error.message.includes(secret));
      return true;
    }, JSON.stringify(secret));
  }
  // All three quotes, or a final backslash, but nothing else in the way: written bare.
  for (const secret of ['a\'b"c`d$e\\f', 'ab\\', 'a\'b"c`d\\']) {
    assert.equal(throughDotenv({ ...creds, secret }).TIKTOK_APP_SECRET, secret);
  }
});

test('.env: random values from the awkward characters read back exactly, or are refused as documented', () => {
  const alphabet = ['\'', '"', '`', '#', '$', '\\', 'n', 'r', '\n', '\r', ' ', '=', ':', 'a', 'export '];
  let seed = 20261129;
  const random = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const value = () => Array.from({ length: random(9) }, () => alphabet[random(alphabet.length)]).join('');
  // The documented refusal (envValue in www/exports.js).
  const refused = (v) => {
    if (!/[#\n\r]/.test(v) && v === v.trim() && !/^['"`]/.test(v)) return false; // unquoted
    if (v.endsWith('\\')) return true;
    const doubleQuotable = !v.includes('"') && !/\\[nr]/.test(v);
    return v.includes('\r') ? !doubleQuotable : v.includes('\'') && !doubleQuotable && v.includes('`');
  };
  let written = 0;
  for (let i = 0; i < 5000; i++) {
    const values = { appId: value(), secret: value() || 'x', accessToken: value(), advertiserIds: [value(), value()] };
    const fields = [values.appId, values.secret, values.accessToken, values.advertiserIds.join(',')];
    if (fields.some(refused)) {
      assert.throws(() => formatDotenv(values), RangeError, JSON.stringify(values));
      continue;
    }
    written++;
    assert.deepEqual(throughDotenv(values), {
      TIKTOK_APP_ID: fields[0], TIKTOK_APP_SECRET: fields[1], TIKTOK_ACCESS_TOKEN: fields[2], TIKTOK_ADVERTISER_IDS: fields[3],
    }, JSON.stringify(values));
  }
  assert.ok(written > 2500, 'most random values are written: ' + written);
});
