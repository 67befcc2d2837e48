// npm/bin: the API bases `build-page` (and scripts/build-page.mjs) accept are exactly those the
// package's normalizeApiBase (which checkApiBase calls) and the page's policy.js both accept; reserved environment names are
// refused; and `build-page DIR` never writes through a link into the package's own page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PAGE_FILES, checkApiBase, customConfig } from '../../npm/bin/page.mjs';
import { ROOT, loadPackage } from '../soak/common.mjs';
import { PRODUCTION_API_BASE, SANDBOX_API_BASE } from '../../npm/facts.js';

const CONFIG = `window.tiktokAdsAuthConfig = { environments: { production: '${PRODUCTION_API_BASE}', sandbox: '${SANDBOX_API_BASE}' } };\n`;

// The bases an attack run found admitted by the bin's own rule, each refused by the package.
const REFUSED = ['https://a;b.example', 'https://*.example', 'http://evil.localhost', 'http://x.localhost/open_api/v1.3'];

test('build-page refuses what the package and the page refuse: ;, *, *.localhost over http', () => {
  for (const base of REFUSED) {
    assert.throws(() => checkApiBase(base), (e) => e.name === 'UsageError' && /^--api-base /.test(e.message), base);
    assert.throws(() => customConfig(CONFIG, { apiBase: base }), /^UsageError: --api-base /, base);
  }
  assert.equal(checkApiBase('http://localhost:8081/open_api/v1.3/'), 'http://localhost:8081/open_api/v1.3');
});

/** policy.js's own test of an origin, read from the file (it is an inline script, not a module). */
function policyOrigin() {
  const source = readFileSync(join(ROOT, 'www/policy.js'), 'utf8');
  const [, pattern] = /var ORIGIN = \/(.*)\/;\n/.exec(source);
  const origin = new RegExp(pattern);
  return (url) => {
    try {
      return origin.test(new URL(url).origin);
    } catch {
      return false;
    }
  };
}

test('checkApiBase accepts exactly what normalizeApiBase and policy.js both accept, with the same result', async () => {
  const { api } = await loadPackage();
  const policy = policyOrigin();
  const pieces = ['https://', 'http://', 'HTTPS://', 'ftp://', 'localhost', 'LocalHost', '127.0.0.1', '127.1', '[::1]', '[::ffff:7f00:1]',
    'x.localhost', 'relay.example.com', 'a_b.example', 'a;b', '*.', 'xn--bcher-kva.example', '-a.example', 'a..b', '0x7f.1',
    '1.2.3.4', '256.1.1.1', '01.2.3.4', 'é', ':8080', ':99999', ':', '@', 'u:p@', '/open_api/v1.3', '/', '//', '?x', '#f',
    '%2F', '%', ' ', '\t', '\u0085', '<', '{', '|', '\\', '.', ''];
  let seed = 4242;
  const random = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const inputs = [...REFUSED, 'https://relay.example.com/open_api/v1.3', 'http://127.0.0.1:9/x/', 'http://[::1]/',
    'https://example.com.', 'https://a_b.example/', 'http://localhost./x'];
  for (let i = 0; i < 6000; i++) {
    const start = ['https://', 'http://', 'HTTPS://'][random(3)];
    inputs.push(start + Array.from({ length: 1 + random(4) }, () => pieces[random(pieces.length)]).join(''));
  }
  let accepted = 0;
  for (const base of inputs) {
    let expected = null;
    try {
      expected = api.normalizeApiBase(base);
    } catch (e) {
      assert.equal(e.kind, 'invalid_input', base);
    }
    if (expected !== null && !policy(expected)) expected = null;
    let got = null;
    try {
      got = checkApiBase(base);
    } catch (e) {
      assert.equal(e.name, 'UsageError', base);
    }
    assert.equal(got, expected, JSON.stringify(base));
    if (got !== null) accepted++;
  }
  assert.ok(accepted > 300, 'enough accepted bases to compare: ' + accepted);
});

test('--environment refuses names every object has (__proto__ would set config.js\'s prototype)', () => {
  for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'custom']) {
    assert.throws(() => customConfig(CONFIG, { apiBase: 'https://relay.example.com', environment: name }),
      /^UsageError: --environment /, name);
  }
  const config = customConfig(CONFIG, { apiBase: 'https://relay.example.com', environment: 'relay' });
  assert.match(config, /"defaultEnvironment": "relay"/);
});

/** A copy of the package's layout (all of bin/ and a page/ of marked files) in a temporary folder. */
function fakePackage() {
  const root = mkdtempSync(join(tmpdir(), 'page-bin-'));
  const pkg = join(root, 'package');
  mkdirSync(join(pkg, 'bin'), { recursive: true });
  for (const file of readdirSync(join(ROOT, 'npm/bin'))) copyFileSync(join(ROOT, 'npm/bin', file), join(pkg, 'bin', file));
  // What bin/ uses of the package: its facts, and its Node entry with the glue and the .wasm.
  for (const file of ['facts.js', 'node.js', 'net.js']) copyFileSync(join(ROOT, 'npm', file), join(pkg, file));
  for (const file of ['tiktok_ads_auth.js', 'tiktok_ads_auth_bg.wasm']) copyFileSync(join(ROOT, 'pkg', file), join(pkg, file));
  writeFileSync(join(pkg, 'package.json'), '{"version": "0.0.0"}');
  for (const file of PAGE_FILES) {
    mkdirSync(dirname(join(pkg, 'page', file)), { recursive: true });
    writeFileSync(join(pkg, 'page', file), file === 'config.js' ? CONFIG : 'bundled ' + file);
  }
  const run = (...args) => spawnSync(process.execPath, [join(pkg, 'bin/tiktok-ads-auth.mjs'), 'build-page', ...args],
    { encoding: 'utf8', timeout: 20000 });
  const bundled = () => PAGE_FILES.map((file) => readFileSync(join(pkg, 'page', file), 'utf8'));
  return { root, pkg, run, bundled, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

test('build-page DIR never writes through a link: a linked DIR, a linked pkg/ (into the package or elsewhere), a linked file', () => {
  const fake = fakePackage();
  try {
    const before = fake.bundled();
    // DIR a link to the bundled page, and a folder below such a link.
    symlinkSync(join(fake.pkg, 'page'), join(fake.root, 'linked'));
    for (const out of [join(fake.root, 'linked'), join(fake.root, 'linked', 'sub')]) {
      const r = fake.run(out, '--force', '--api-base', 'https://relay.example.com');
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /is inside this package/);
    }
    // DIR of one's own whose pkg/ links to the package itself (where its .wasm is).
    const own = join(fake.root, 'own');
    mkdirSync(own);
    symlinkSync(fake.pkg, join(own, 'pkg'));
    const r = fake.run(own, '--force');
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /is inside this package/);
    assert.deepEqual(readdirSync(own), ['pkg'], 'nothing written');
    assert.deepEqual(fake.bundled(), before, 'the bundled page is unchanged');
    // DIR of one's own whose pkg/ links to another folder of one's own: refused too, nothing
    // written there (or anywhere).
    const elsewhere = join(fake.root, 'elsewhere');
    const own2 = join(fake.root, 'own2');
    mkdirSync(elsewhere);
    mkdirSync(own2);
    symlinkSync(elsewhere, join(own2, 'pkg'));
    const linked = fake.run(own2, '--force');
    assert.equal(linked.status, 2, linked.stderr);
    assert.match(linked.stderr, /pkg is a link: build-page writes only into real folders/);
    assert.deepEqual(readdirSync(elsewhere), [], 'nothing written through the link');
    assert.deepEqual(readdirSync(own2), ['pkg'], 'nothing written');
    // A file in DIR linking to the bundled page's file is replaced, not written through.
    const other = join(fake.root, 'other');
    mkdirSync(other);
    symlinkSync(join(fake.pkg, 'page', 'config.js'), join(other, 'config.js'));
    const ok = fake.run(other, '--force', '--api-base', 'https://relay.example.com');
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(readFileSync(join(other, 'config.js'), 'utf8'), /relay\.example\.com/);
    assert.deepEqual(fake.bundled(), before, 'the bundled page is unchanged');
    // The refusals of the API base and the name reach the command line.
    for (const args of [['--api-base', 'http://evil.localhost'], ['--api-base', 'https://r.example', '--environment', '__proto__']]) {
      const refused = fake.run(join(fake.root, 'fresh'), ...args);
      assert.equal(refused.status, 2, args.join(' '));
    }
  } finally {
    fake.cleanup();
  }
});
