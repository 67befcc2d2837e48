// www/exports.js: each "Use it in your tools" text, read back the way its tool reads it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
      credentials: {
        auth_type: 'oauth2.0', app_id: creds.appId, secret, access_token: NASTY, advertiser_id: creds.advertiserIds[0],
      },
      start_date: '2026-10-30',
    });
  }
});

// Without `advertiser_id` Airbyte's check fails ("The app_id is inconsistent with the token's app
// information") and passes once it is set: airbytehq/airbyte issue 80210 (docs/tiktok.md, "Consumers").
test('Airbyte: the config names the advertiser: the one granted, or the one chosen of several', () => {
  const one = JSON.parse(formatAirbyte({ ...creds, advertiserIds: ['7504697128674066433'] }, { today: TODAY }));
  assert.equal(one.credentials.advertiser_id, '7504697128674066433');
  assert.ok(validateAirbyte(one), JSON.stringify(validateAirbyte.errors));
  // Several: the first by default, else the one chosen; each valid against the spec.
  assert.equal(JSON.parse(formatAirbyte(creds, { today: TODAY })).credentials.advertiser_id, creds.advertiserIds[0]);
  for (const advertiserId of creds.advertiserIds) {
    const config = JSON.parse(formatAirbyte(creds, { today: TODAY, advertiserId }));
    assert.equal(config.credentials.advertiser_id, advertiserId);
    assert.equal(typeof config.credentials.advertiser_id, 'string');
    assert.ok(validateAirbyte(config), JSON.stringify(validateAirbyte.errors));
  }
  // One not granted to this token is refused, never written.
  for (const advertiserId of ['7000000000000000009', '', 7504697128674066433]) {
    assert.throws(() => formatAirbyte(creds, { advertiserId }), /^RangeError: The advertiser for Airbyte must be one of/);
  }
  // No advertiser granted: nothing to name (the page says what to do about it).
  const none = JSON.parse(formatAirbyte({ ...creds, advertiserIds: [] }, { today: TODAY }));
  assert.equal('advertiser_id' in none.credentials, false);
  assert.ok(validateAirbyte(none), JSON.stringify(validateAirbyte.errors));
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

test('ingestr: nothing an interactive shell expands inside double quotes (history `!`)', () => {
  const token = "a!!b!-2'(c)*";
  const out = formatIngestr({ ...creds, accessToken: token });
  assert.doesNotMatch(out, /[!'()*"`$\\]/);
  assert.equal(new URL(out).searchParams.get('access_token'), token);
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

const VARS = ['TIKTOK_APP_ID', 'TIKTOK_APP_SECRET', 'TIKTOK_ACCESS_TOKEN', 'TIKTOK_ADVERTISER_IDS'];
const SHELLS = ['sh', 'bash'].filter((shell) => spawnSync(shell, ['-c', 'true']).status === 0);

/**
 * Writes the .env text into an empty folder and sources it there with each POSIX shell
 * (`set -a; . ./.env`), the way a deployment script would; returns the variables each shell read
 * and the files the folder holds afterwards (only .env, unless sourcing ran a command).
 */
function throughShells(envText) {
  const dir = mkdtempSync(join(tmpdir(), 'dotenv-'));
  try {
    writeFileSync(join(dir, '.env'), envText);
    return SHELLS.map((shell) => {
      const run = spawnSync(shell, ['-c', 'set -a; . ./.env; printf "%s\\0" ' + VARS.map((v) => `"$${v}"`).join(' ')],
        { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH }, timeout: 10000 });
      assert.equal(run.status, 0, shell + ': ' + run.stderr);
      const read = run.stdout.split('\0').slice(0, VARS.length);
      return { shell, vars: Object.fromEntries(VARS.map((v, i) => [v, read[i]])), files: readdirSync(dir) };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** python-dotenv (`dotenv_values`), when this machine has it (`pip install python-dotenv`). */
const PYTHON_DOTENV = spawnSync('python3', ['-c', 'import dotenv']).status === 0;
function throughPythonDotenv(envText) {
  const run = spawnSync('python3', ['-c',
    'import io, json, sys\nfrom dotenv import dotenv_values\n' +
    'print(json.dumps(dict(dotenv_values(stream=io.StringIO(sys.stdin.read())))))'],
  { input: envText, encoding: 'utf8', timeout: 10000 });
  assert.equal(run.status, 0, run.stderr);
  return JSON.parse(run.stdout);
}

/** dotenv, python-dotenv (when here) and every shell read back exactly `expected`, and sourcing ran nothing. */
function assertReadBack(values, expected, label) {
  const envText = formatDotenv(values);
  assert.deepEqual(dotenv.parse(envText), expected, 'dotenv ' + label);
  if (PYTHON_DOTENV) assert.deepEqual(throughPythonDotenv(envText), expected, 'python-dotenv ' + label);
  for (const { shell, vars, files } of throughShells(envText)) {
    assert.deepEqual(files, ['.env'], shell + ' ran a command: ' + label);
    const want = { ...expected };
    if (!('TIKTOK_APP_SECRET' in want)) want.TIKTOK_APP_SECRET = '';
    assert.deepEqual(vars, want, shell + ' ' + label);
  }
}

test('.env: dotenv and a shell sourcing it read every value back exactly and run nothing', () => {
  assert.ok(SHELLS.includes('sh'), 'a POSIX sh is needed for this test');
  const hostile = ['$(touch PWNED)', '`touch PWNED`', '$X:=$(touch PWNED)}', '"$(touch PWNED)"',
    ' a "quoted" $HOME $X} #not-a-comment C:/dir/n / x', ' spaces ', '#', ' ', '', 'a\tb', 'é 🙂 \u2028 x',
    '; touch PWNED', '& touch PWNED &'];
  for (const secret of [creds.secret, ...hostile]) {
    const values = { ...creds, secret: secret || 'x', accessToken: secret + 'T', appId: secret };
    assertReadBack(values, {
      TIKTOK_APP_ID: secret,
      TIKTOK_APP_SECRET: secret || 'x',
      TIKTOK_ACCESS_TOKEN: secret + 'T',
      TIKTOK_ADVERTISER_IDS: creds.advertiserIds.join(','),
    }, JSON.stringify(secret));
  }
});

test('.env: a value with a quote and a command in it is refused or read back exactly, never run', () => {
  for (const secret of ["x'$(touch PWNED)", "x'${X:=$(touch PWNED)}", "x'\"$(touch PWNED)\"", "x'\"`touch PWNED`"]) {
    const values = { ...creds, secret };
    let envText;
    try {
      envText = formatDotenv(values);
    } catch (error) {
      assert.ok(error instanceof RangeError && !error.message.includes(secret), JSON.stringify(secret));
      continue;
    }
    for (const { shell, vars, files } of throughShells(envText)) {
      assert.deepEqual(files, ['.env'], shell + ' ran a command: ' + JSON.stringify(secret));
      assert.equal(vars.TIKTOK_APP_SECRET, secret, shell);
    }
  }
});

test('.env: every value is in single quotes, the one quoting that expands nothing', () => {
  assert.match(formatDotenv(creds), /^TIKTOK_APP_SECRET='0123456789abcdef0123456789abcdef01234567'$/m);
  assert.match(formatDotenv({ ...creds, secret: '"$(x)" `y`' }), /^TIKTOK_APP_SECRET='"\$\(x\)" `y`'$/m);
  for (const line of formatDotenv(creds).split('\n').filter((l) => /^TIKTOK_/.test(l))) {
    assert.match(line, /^TIKTOK_[A-Z_]+='[^']*'$/);
  }
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

test('.env: a backslash or ${ is refused by name: python-dotenv reads \\\\ inside single quotes as one, and expands ${X}', () => {
  for (const value of ['a\\b', 'a\\\\b', "a\\'b", '\\n', '${X}', 'a${HOME}b']) {
    assert.throws(() => formatDotenv({ ...creds, secret: value }), (error) => {
      assert.ok(error instanceof RangeError && /^TIKTOK_APP_SECRET /.test(error.message) && !error.message.includes(value));
      return true;
    }, JSON.stringify(value));
  }
  // The reason, with the real reader where this machine has it.
  if (PYTHON_DOTENV) assert.deepEqual(throughPythonDotenv("A='a\\\\b'\nB='${A}'\n"), { A: 'a\\b', B: 'a\\b' });
});

test('.env: a value a single-quoted line cannot carry is refused by name, without showing the value', () => {
  const refusedValues = ["x'$(touch PWNED)", "x'\"$(touch PWNED)\"`touch PWNED`", "it's", 'a\nb', 'a\r\nb', 'a\rb',
    'a\0b', 'x\\', '\\', 'a\\b', 'C:\\dir', '\\$(touch PWNED)', '${X:=$(touch PWNED)}', '${HOME}', 'a\uD800b', "'"];
  for (const secret of refusedValues) {
    for (const field of ['secret', 'accessToken', 'appId']) {
      const name = { secret: 'TIKTOK_APP_SECRET', accessToken: 'TIKTOK_ACCESS_TOKEN', appId: 'TIKTOK_APP_ID' }[field];
      assert.throws(() => formatDotenv({ ...creds, [field]: secret }), (error) => {
        assert.ok(error instanceof RangeError);
        assert.match(error.message, new RegExp('^' + name + ' '));
        assert.ok(!error.message.includes(secret));
        return true;
      }, field + ' ' + JSON.stringify(secret));
    }
  }
});

test('.env: random values from the awkward characters read back exactly in dotenv and sh, or are refused', () => {
  const alphabet = ['\'', '"', '`', '#', '$', '$(', '\\', 'n', 'r', '\n', '\r', ' ', '\t', '=', ':', ';', 'a', 'export ', '\u2028', '\0'];
  let seed = 20261129;
  const random = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const value = () => Array.from({ length: random(7) }, () => alphabet[random(alphabet.length)]).join('');
  // The documented refusal (envValue in www/exports.js).
  const refused = (v) => /['\n\r\0\\]|\$\{/.test(v);
  let written = 0;
  for (let i = 0; i < 3000; i++) {
    const values = { appId: value(), secret: value() || 'x', accessToken: value(), advertiserIds: [] };
    const fields = [values.appId, values.secret, values.accessToken, ''];
    if (fields.some(refused)) {
      assert.throws(() => formatDotenv(values), RangeError, JSON.stringify(values));
      continue;
    }
    written++;
    const expected = Object.fromEntries(VARS.map((v, j) => [v, fields[j]]));
    // dotenv for every value; the shells (a process each) for one in 25.
    if (i % 25) assert.deepEqual(throughDotenv(values), expected, JSON.stringify(values));
    else assertReadBack(values, expected, JSON.stringify(values));
  }
  assert.ok(written > 400, 'many random values are written: ' + written);
});

test('no value becomes another field: a line break in the OWOX text, a comma in an advertiser id', () => {
  for (const field of ['accessToken', 'appId', 'secret']) {
    for (const br of ['\n', '\r', '\u2028', '\v', '\u001e', '\u001c']) {
      const value = 'abc' + br + 'App Secret: stolen';
      assert.throws(() => formatOwox({ ...creds, [field]: value }), (error) => {
        assert.ok(error instanceof RangeError);
        assert.match(error.message, /^(Access Token|App ID|App Secret) holds a line break/);
        assert.ok(!error.message.includes('stolen'));
        return true;
      }, field + JSON.stringify(br));
    }
  }
  for (const id of ['1,2', '1;2', '1\n2']) {
    const values = { ...creds, advertiserIds: [creds.advertiserIds[0], id] };
    for (const format of [formatOwox, formatIngestr, formatDotenv]) {
      assert.throws(() => format(values), /^RangeError: Advertiser ID 2 holds a comma/, format.name + JSON.stringify(id));
    }
    // Airbyte's config carries one advertiser id as a JSON string: nothing there splits it.
    assert.doesNotThrow(() => formatAirbyte(values));
    assert.equal(JSON.parse(formatAirbyte(values, { advertiserId: id })).credentials.advertiser_id, id);
  }
});
