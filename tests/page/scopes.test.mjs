// www/scopes.js: permission names from TikTok's scope ids, and the OWOX Data Marts check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { owoxCheck, OWOX_NEEDS, permissionNames, scopePath } from '../../www/scopes.js';

const root = new URL('../../', import.meta.url);
const table = JSON.parse(readFileSync(new URL('tests/page/tiktok-scopes.json', root), 'utf8')).scopes;
const AD_INSIGHT_REPORT = '7043626160646815746';
// The same Number as AD_INSIGHT_REPORT (both round to 7043626160646815744): only exact text tells them apart.
const ITS_NEIGHBOUR = '7043626160646815747';

/** The module as the page build ships it: minified by esbuild. */
async function minifiedModule() {
  const esbuild = createRequire(root)('esbuild');
  const source = readFileSync(new URL('www/scopes.js', root), 'utf8');
  const code = esbuild.transformSync(source, { minify: true, legalComments: 'none', target: 'es2020' }).code;
  const dir = mkdtempSync(join(tmpdir(), 'scopes-'));
  try {
    writeFileSync(join(dir, 'scopes.mjs'), code);
    return await import(pathToFileURL(join(dir, 'scopes.mjs')).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the table holds every permission of the project copy of the scope list, with its name and parent', async () => {
  const ids = Object.keys(table);
  assert.equal(ids.length, 167);
  for (const scopes of [{ permissionNames }, await minifiedModule()]) {
    const named = scopes.permissionNames(ids);
    assert.deepEqual(named.map((p) => p.id), ids);
    for (const p of named) {
      assert.equal(p.name, table[p.id].name, p.id);
      assert.equal(p.parent, table[p.id].parent, p.id);
      assert.equal(p.parentName, p.parent === null ? null : table[p.parent].name, p.id);
    }
  }
});

test('a 19-digit id is named from its exact text, never through a Number', () => {
  assert.deepEqual(permissionNames([AD_INSIGHT_REPORT, ITS_NEIGHBOUR]), [
    { id: AD_INSIGHT_REPORT, name: 'Ad Insight Report', parent: '4', parentName: 'Reporting' },
    { id: ITS_NEIGHBOUR, name: null, parent: null, parentName: null },
  ]);
});

test('unknown ids are kept as given, with no name, and never throw', () => {
  const odd = ['99', '0010', '', ' 10', 'constructor', '__proto__', 'toString', 'hasOwnProperty'];
  assert.deepEqual(permissionNames(odd), odd.map((id) => ({ id, name: null, parent: null, parentName: null })));
});

test('numbers are read as their text, duplicates and non-ids are dropped, order is kept', () => {
  assert.deepEqual(permissionNames([200, '10', 10, null, {}, NaN, Infinity, undefined, '200']).map((p) => [p.id, p.name]),
    [['200', 'Read Campaigns'], ['10', 'Ad Account Information']]);
  assert.deepEqual(permissionNames(undefined), []);
  assert.deepEqual(permissionNames('10'), []);
});

test('scopePath names the groups from the top down', () => {
  assert.deepEqual(scopePath('100'), ['Ad Account Management', 'Ad Account Information', 'Read Ad Account Information']);
  assert.deepEqual(scopePath(AD_INSIGHT_REPORT), ['Reporting', 'Ad Insight Report']);
  assert.deepEqual(scopePath(ITS_NEIGHBOUR), []);
  assert.deepEqual(scopePath('__proto__'), []);
});

test('owoxCheck: TikTok\'s real answer [210,200,10,220,30] lacks only Reporting (group 10 covers 100)', () => {
  const result = owoxCheck([210, 200, 10, 220, 30]);
  assert.equal(result.ok, false);
  assert.deepEqual(result.missing, [{ id: '4', name: 'Reporting', parentName: null, path: ['Reporting'] }]);
  assert.match(result.advice, /TikTok developer portal/);
  assert.match(result.advice, /add “Reporting” to the app’s permission scopes/);
  assert.match(result.advice, /advertiser must authorize the app again/);
});

// Scope lists from real 2026 answers (airbytehq/airbyte issue 80210; docs/tiktok.md, "Scopes"), as the
// package hands them over: exact strings. Two of the 19-digit ids are in no published scope list.
const ANSWER_2026 = ['800', '700', '802', '7543056879933489153', '7580203444061896721', '220', '30'];
const ANSWER_2026_FULL = ['800', '700', '802', '7543056879933489153', '7043626160646815746', '7224195155857833986',
  '200', '10', '210', '51', '7580203444061896721', '220', '30'];

test('a real 2026 answer: every id is shown exactly, the unknown ones as numbers, and the OWOX check holds', () => {
  const shown = permissionNames(ANSWER_2026);
  assert.deepEqual(shown.map((p) => p.id), ANSWER_2026);
  assert.deepEqual(shown.map((p) => p.name),
    ['Read Pixels', 'Read Apps', 'Pixel Level Reporting', null, null, 'Read Ads', 'Read Custom Audiences']);
  for (const id of ['7543056879933489153', '7580203444061896721']) {
    assert.deepEqual(shown.find((p) => p.id === id), { id, name: null, parent: null, parentName: null });
    assert.deepEqual(scopePath(id), []);
  }
  // Unknown ids neither count for nor break the check: Ads and Custom Audiences are there, the rest missing.
  const check = owoxCheck(ANSWER_2026);
  assert.equal(check.ok, false);
  assert.deepEqual(check.missing.map((m) => m.id), ['100', '200', '210', '4']);
  assert.equal(owoxCheck(['7543056879933489153', '7580203444061896721']).missing.length, OWOX_NEEDS.length);
  // The fuller list of the same report grants group 10 (covering 100), 200, 210, 220, 30, and the
  // Ad Insight Report under Reporting, which is not all of Reporting.
  const full = permissionNames(ANSWER_2026_FULL);
  assert.deepEqual(full.map((p) => p.id), ANSWER_2026_FULL);
  assert.deepEqual(full.filter((p) => p.name === null).map((p) => p.id), ['7543056879933489153', '7580203444061896721']);
  assert.deepEqual(owoxCheck(ANSWER_2026_FULL).missing.map((m) => m.id), ['4']);
  assert.deepEqual(owoxCheck([...ANSWER_2026_FULL, '4']), { ok: true, missing: [], advice: '' });
});

test('owoxCheck: granted top-level groups cover everything OWOX reads', () => {
  assert.deepEqual(owoxCheck(['1', '2', '3', '4']), { ok: true, missing: [], advice: '' });
  assert.equal(owoxCheck(['100', '200', '210', '220', '30', '4']).ok, true);
  assert.equal(owoxCheck(['10', '20', '21', '22', '3', '4']).ok, true);
});

test('owoxCheck: Reporting is also covered by its four level permissions together, not by fewer', () => {
  const rest = ['100', '200', '210', '220', '30'];
  assert.equal(owoxCheck([...rest, '40', '41', '42', '43']).ok, true);
  assert.deepEqual(owoxCheck([...rest, '40', '41', '43']).missing.map((m) => m.name), ['Reporting']);
  // A child does not cover its group.
  assert.deepEqual(owoxCheck([...rest, AD_INSIGHT_REPORT]).missing.map((m) => m.name), ['Reporting']);
});

test('owoxCheck: a missing permission is named with its place in the portal, and the advice lists each', () => {
  const result = owoxCheck(['1', '4', '20', '22', '3', ITS_NEIGHBOUR]);
  assert.equal(result.ok, false);
  assert.deepEqual(result.missing, [
    { id: '210', name: 'Read Ad Groups', parentName: 'Ad Group', path: ['Ads Management', 'Ad Group', 'Read Ad Groups'] },
  ]);
  assert.match(result.advice, /add “Ads Management › Ad Group › Read Ad Groups” to the app’s permission scopes/);
});

test('owoxCheck: nothing granted lists all six, in the order OWOX_NEEDS gives', () => {
  for (const none of [[], undefined, ['junk']]) {
    const result = owoxCheck(none);
    assert.deepEqual(result.missing.map((m) => m.id), OWOX_NEEDS);
    assert.deepEqual(result.missing.map((m) => m.name), ['Read Ad Account Information', 'Read Campaigns',
      'Read Ad Groups', 'Read Ads', 'Read Custom Audiences', 'Reporting']);
    assert.deepEqual(result.missing.map((m) => m.parentName), ['Ad Account Information', 'Campaign', 'Ad Group',
      'Ad', 'Audience Management', null]);
  }
});
