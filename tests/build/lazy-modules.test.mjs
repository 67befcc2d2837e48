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

test('the lazy modules use the one instance of each shared module, through app.js', { skip }, () => {
  const app = readFileSync(join(dir, 'app.js'), 'utf8');
  const handed = new Set(app.match(/export\{([^}]*)\}\s*;?\s*$/)[1].split(',').map((e) => e.split(' as ').pop()));
  for (const f of ['result.js', 'check.js', 'dom.js']) {
    const built = readFileSync(join(dir, f), 'utf8');
    for (const [, names, module] of built.matchAll(/import\{([^}]*)\}from"\.\/([\w-]+\.js)"/g)) {
      // Only the lazy and stateless modules are files of their own; the shared ones are in app.js.
      assert.ok(['app.js', 'result.js', 'scopes.js', 'exports.js', 'dom.js'].includes(module), f + ' imports ' + module);
      if (module === 'app.js') for (const name of names.split(',').map((n) => n.split(' as ')[0])) assert.ok(handed.has(name), f + ' imports ' + name + ' from app.js, which does not hand it on');
    }
  }
  assert.match(readFileSync(join(dir, 'result.js'), 'utf8'), /import\{[^}]*\bflow as \w+[^}]*\}from"\.\/app\.js"/);
  for (const f of ['flow.js', 'ui.js', 'settings.js', 'api.js']) assert.ok(!existsSync(join(dir, f)), f + ' is in app.js, not beside it');
  // The markup builder only the lazy views use stays off the first load, in dom.js.
  assert.ok(!handed.has('h'), 'app.js hands on h');
  assert.match(readFileSync(join(dir, 'dom.js'), 'utf8'), /export function h\(/);
});

test('the modules carry the crate’s facts as written in by the build, and no TIKTOK_FACTS name', { skip }, async () => {
  const { SANDBOX_API_BASE, PRODUCTION_API_BASE } = await import('../../npm/facts.js');
  const built = (f) => readFileSync(join(dir, f), 'utf8');
  for (const f of ['app.js', 'result.js', 'check.js', 'dom.js']) assert.ok(!built(f).includes('TIKTOK_FACTS'), f);
  assert.ok(readFileSync(new URL('www/app.js', root), 'utf8').includes('TIKTOK_FACTS.SANDBOX_HOST'));
  assert.ok(built('app.js').includes(JSON.stringify(new URL(SANDBOX_API_BASE).hostname)), 'the sandbox host in app.js');
  assert.ok(built('result.js').includes(JSON.stringify(new URL(PRODUCTION_API_BASE).hostname)), 'the API host in result.js');
});
