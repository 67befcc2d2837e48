// What `npm pack` puts in the tarball and what its package.json promises.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { cargoPackage, exportedNames, findRepository } from '../../scripts/build-npm.mjs';
import { ROOT, packPackage } from './pack.mjs';

// Only what a consumer runs, reads or type-checks: no sources, tests, maps, or the wasm-bindgen
// declarations of the raw wasm exports. Plus the `tiktok-ads-auth` command (bin/) and the page
// it serves (page/: the production page, whose .wasm is the library's own).
const FILES = [
  'LICENSE-APACHE',
  'LICENSE-MIT',
  'README.md',
  'bin/page.mjs',
  'bin/relay.mjs',
  'bin/server.mjs',
  'bin/tiktok-ads-auth.mjs',
  'facts.js',
  'index.d.ts',
  'index.js',
  'net.js',
  'node.js',
  'package.json',
  'tiktok_ads_auth.js',
  'tiktok_ads_auth_bg.wasm',
  'worker/worker.mjs',
  'worker/wrangler.toml',
];
const FUNCTIONS = [
  'advertisersRequestCurl', 'authorizationUrl', 'exchangeAuthCode', 'getAdvertisers', 'isTikTokAuthError', 'normalizeApiBase',
  'parseRedirect', 'parseTokenResponse', 'revokeToken', 'stateVerdict', 'stripRedirectParams',
  'tokenRequestCurl',
];

let pack, pageFiles;
before(() => {
  pack = packPackage();
  // The page as scripts/build-page.mjs writes it for hosting, less pkg/ (served from the package's .wasm).
  const page = join(pack.work, 'page-for-hosting');
  execFileSync(process.execPath, [join(ROOT, 'scripts/build-page.mjs'), '--out', page], { stdio: 'ignore' });
  pageFiles = readdirSync(page, { recursive: true }).map((f) => f.replaceAll('\\', '/'))
    .filter((f) => f !== 'pkg' && !f.startsWith('pkg/')).map((f) => 'page/' + f);
});
after(() => pack?.cleanup());

test('npm pack --dry-run lists exactly the files a consumer needs', (t) => {
  const [report] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts', pack.packageDir], {
    cwd: pack.work,
    stdio: ['ignore', 'pipe', 'pipe'],
  }).toString());
  const expected = [...FILES, ...pageFiles].sort();
  assert.ok(['page/index.html', 'page/app.js', 'page/config.js'].every((f) => expected.includes(f)));
  assert.deepEqual(report.files.map((f) => f.path).sort(), expected);
  assert.deepEqual(pack.report.files.map((f) => f.path).sort(), expected, 'the real tarball holds the same');
  t.diagnostic(`tarball ${pack.report.filename}: ${pack.report.size} bytes packed, ${pack.report.unpackedSize} unpacked`);
});

test('package.json is complete', () => {
  const m = pack.manifest;
  const cargo = cargoPackage(readFileSync(join(ROOT, 'Cargo.toml'), 'utf8'));
  assert.equal(m.name, 'tiktok-ads-auth');
  assert.equal(m.version, cargo.version, 'the version comes from Cargo.toml');
  assert.match(m.description, /TikTok Marketing API access token/);
  assert.equal(m.license, 'MIT OR Apache-2.0');
  assert.ok(m.keywords.includes('tiktok') && m.keywords.includes('wasm'));
  assert.equal(m.type, 'module');
  assert.equal(m.types, './index.d.ts');
  // Condition order matters: the first matching key wins, and `types` must come first.
  assert.deepEqual(Object.entries(m.exports['.']), [
    ['types', './index.d.ts'],
    ['node', './node.js'],
    ['default', './index.js'],
  ]);
  assert.deepEqual([...m.files].sort(), ['bin/', 'page/', 'worker/',
    ...FILES.filter((f) => !['README.md', 'package.json'].includes(f) && !/^(bin|worker)\//.test(f))].sort());
  // The command: nothing in `exports` leads to it or to the page, so importers never load them.
  assert.deepEqual(m.bin, { 'tiktok-ads-auth': 'bin/tiktok-ads-auth.mjs' });
  assert.ok(!JSON.stringify(m.exports).includes('bin/') && !JSON.stringify(m.exports).includes('page/'));
  // Not `false`: the entries' only job is their side effect (instantiating the wasm before any
  // export is used), and a bundler told they have none skips them for the glue they re-export.
  assert.deepEqual(m.sideEffects, ['./index.js', './node.js']);
  // The command and the build scripts read their arguments with util.parseArgs's tokens (Node 18.7).
  assert.equal(m.engines.node, '>=18.7');
  assert.equal(m.dependencies, undefined, 'no dependencies');
  assert.equal(m.scripts, undefined, 'no install scripts');
  if (m.repository !== undefined) assert.match(m.repository.url, /^git\+https:\/\/[^/]+\/[^/]+\/[^/]+\.git$/);
});

test('the repository comes from Cargo.toml, the origin remote, or GitHub Actions', () => {
  const none = { origin: null, env: {} };
  assert.deepEqual(findRepository({ repository: 'https://github.com/acme/tiktok-ads-auth' }, none),
    { type: 'git', url: 'git+https://github.com/acme/tiktok-ads-auth.git' });
  assert.deepEqual(findRepository({}, { origin: 'git@github.com:acme/tiktok-ads-auth.git', env: {} }),
    { type: 'git', url: 'git+https://github.com/acme/tiktok-ads-auth.git' });
  assert.deepEqual(findRepository({}, { origin: '/srv/git/main.git', env: { GITHUB_REPOSITORY: 'acme/t' } }),
    { type: 'git', url: 'git+https://github.com/acme/t.git' });
  assert.equal(findRepository({}, { origin: 'https://user:token@github.com/acme/t.git', env: {} }), null,
    'credentials in a remote are never copied into the package');
  assert.equal(findRepository({}, none), null);
});

test('both entries export exactly the crate\'s functions, and no loader', () => {
  for (const entry of ['index.js', 'node.js']) {
    const source = readFileSync(join(pack.packageDir, entry), 'utf8');
    assert.deepEqual([...exportedNames(source)].sort(), FUNCTIONS, entry);
  }
  // The glue: the rest, and the network calls' steps for net.js (`__prepare`, `__read`, `__fail`).
  const glue = [...exportedNames(readFileSync(join(pack.packageDir, 'tiktok_ads_auth.js'), 'utf8'))];
  const NETWORK = ['exchangeAuthCode', 'getAdvertisers', 'revokeToken'];
  assert.deepEqual(glue.filter((n) => !['default', 'initSync'].includes(n)).sort(),
    ['__fail', '__prepare', '__read', ...FUNCTIONS.filter((n) => !NETWORK.includes(n))]);
  assert.deepEqual([...exportedNames(readFileSync(join(pack.packageDir, 'net.js'), 'utf8'))], ['network']);
});

test('facts.js ships as generated from the crate, and bin/ and worker/ read TikTok\'s facts from it', async () => {
  const facts = readFileSync(join(pack.packageDir, 'facts.js'), 'utf8');
  assert.equal(facts, readFileSync(join(ROOT, 'npm/facts.js'), 'utf8'));
  assert.match(facts.split('\n')[0], /^\/\/ Generated by tests\/js_facts\.rs .*UPDATE_FACTS=1 cargo test --test js_facts/);
  for (const file of ['bin/relay.mjs', 'worker/worker.mjs']) {
    const source = readFileSync(join(pack.packageDir, file), 'utf8');
    assert.doesNotMatch(source, /tiktok\.com|oauth2\//, file);
  }
  const relay = await import(join(pack.packageDir, 'bin/relay.mjs'));
  const { PRODUCTION_API_BASE } = await import(join(pack.packageDir, 'facts.js'));
  assert.equal(relay.TIKTOK_API, PRODUCTION_API_BASE + '/');
});

test('index.d.ts declares every function and type, without the loader or `any`', () => {
  const types = readFileSync(join(pack.packageDir, 'index.d.ts'), 'utf8');
  for (const name of FUNCTIONS) assert.match(types, new RegExp(`^export function ${name}\\(`, 'm'), name);
  for (const name of ['TikTokAuthError', 'TikTokAuthErrorKind', 'AuthorizationUrlOptions', 'AuthorizationUrl',
    'RedirectParams', 'ExchangeAuthCodeOptions', 'TokenRequestCurlOptions', 'AccessTokenOptions', 'TokenGrant',
    'Advertiser', 'StateVerdictOptions', 'StateVerdict']) {
    assert.match(types, new RegExp(`^export (interface|type) ${name}\\b`, 'm'), name);
  }
  for (const loader of ['initSync', 'InitInput', 'InitOutput', 'export default', 'RequestInfo']) {
    assert.ok(!types.includes(loader), `index.d.ts mentions ${loader}`);
  }
  const code = types.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
  assert.doesNotMatch(code, /\bany\b/);
  // Parameter names show in editors' hints: JS-style, as the option names are.
  for (const [, name, params] of code.matchAll(/^export function (\w+)\(([^)]*)\)/gm)) {
    for (const param of params.split(',').filter((p) => p.trim())) {
      assert.match(param.trim(), /^[a-z][A-Za-z0-9]*\??:/, `${name}(${params})`);
    }
  }
});

test('the packed glue and wasm are pkg/\'s, byte for byte (no second build)', () => {
  assert.ok(readFileSync(join(pack.packageDir, 'tiktok_ads_auth_bg.wasm')).equals(readFileSync(join(ROOT, 'pkg/tiktok_ads_auth_bg.wasm'))));
  const glue = readFileSync(join(ROOT, 'pkg/tiktok_ads_auth.js'), 'utf8').replace(/^\/\* @ts-self-types="[^"]*" \*\/\n+/, '');
  assert.equal(readFileSync(join(pack.packageDir, 'tiktok_ads_auth.js'), 'utf8'), glue);
});
