// The page build keeps scopes.js and exports.js out of the first load: minified files of their own,
// which app.js loads with import() when the result view needs them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = new URL('../../', import.meta.url);
// scripts/test.sh builds pkg/ before this suite; alone, build it first with scripts/build-wasm.sh.
const built = existsSync(new URL('pkg/tiktok_ads_auth_bg.wasm', root));
const skip = built ? false : 'pkg/ is not built (bash scripts/build-wasm.sh)';

let dir;
before(async () => {
  if (!built) return;
  const { buildPage } = await import('../../scripts/build-page.mjs');
  dir = buildPage({ out: mkdtempSync(join(tmpdir(), 'tiktok-ads-auth-lazy-')) });
});
after(() => dir && rmSync(dir, { recursive: true, force: true }));

test('scopes.js and exports.js are built minified, beside app.js, and work as built', { skip }, async () => {
  for (const f of ['scopes.js', 'exports.js']) {
    const source = readFileSync(new URL('www/' + f, root), 'utf8');
    const output = readFileSync(join(dir, f), 'utf8');
    assert.match(source, /^\/\*\*/, f + ' has its doc comment in www/');
    assert.ok(!output.includes('/*') && !output.includes('DOM-free'), f + ' carries no comment');
    assert.ok(gzipSync(output).length < gzipSync(source).length * 0.75, f);
  }
  const scopes = await import(pathToFileURL(join(dir, 'scopes.js')).href);
  assert.equal(scopes.permissionNames(['7043626160646815746'])[0].name, 'Ad Insight Report');
  assert.equal(scopes.owoxCheck(['1', '2', '3', '4']).ok, true);
  const exports = await import(pathToFileURL(join(dir, 'exports.js')).href);
  assert.equal(exports.formatIngestr({ accessToken: 'a b', advertiserIds: ['1', '2'] }),
    'tiktok://?access_token=a%20b&advertiser_ids=1,2');
});

test('the first load (app.js) carries neither the permission table nor the export texts', { skip }, () => {
  const app = readFileSync(join(dir, 'app.js'), 'utf8');
  for (const text of ['Ad Insight Report', 'Read Custom Audiences', 'TIKTOK_APP_SECRET', 'tiktok://']) {
    assert.ok(!app.includes(text), text);
  }
});
