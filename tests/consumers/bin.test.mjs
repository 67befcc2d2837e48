// `npx tiktok-ads-auth serve` and `npx tiktok-ads-auth build-page DIR` from the packed tarball,
// installed into an empty project: the page it serves loads in Chromium, and the server hands
// out the page's files and nothing else.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runInNewContext } from 'node:vm';
import {
  ROOT, installConsumer, launchChromium, openStartView, packPackage, rawRequest, startServing,
} from './pack.mjs';
import { PAGE_FILES } from '../../npm/bin/page.mjs';

const run = promisify(execFile);
const PAGE = [...PAGE_FILES].sort();
let pack, dir, bin, browser, site;
// playwright-core, which drives Chromium here, needs Node >= 20: on older Node (scripts/test.sh
// runs this file on each supported one) the tests that open the page are skipped; the bytes served
// are still compared with the package's own files.
const noBrowser = Number(process.versions.node.split('.')[0]) < 20 && 'playwright-core needs Node >= 20';

before(async () => {
  pack = packPackage();
  dir = installConsumer('consumers/npx-user', pack);
  // What npx runs: the link npm makes for the package's `bin` (shebang and executable bit included).
  bin = join(dir, 'node_modules/.bin/tiktok-ads-auth');
  site = await startServing(bin, ['serve', '--port', '0'], { cwd: dir });
  if (!noBrowser) browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await site?.stop();
  pack?.cleanup();
});

/** Runs the command; never throws, returns its exit code and output. */
async function cli(args, { cwd = dir } = {}) {
  try {
    const { stdout, stderr } = await run(bin, args, { cwd, timeout: 20_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const installed = (file) => readFileSync(join(dir, 'node_modules/tiktok-ads-auth', file));

test('serve prints the redirect URL to register and what to do next', () => {
  const out = site.output();
  // Without the trailing slash, as TikTok's setup guides register it.
  assert.match(out, new RegExp(`Advertiser redirect URL to register: +http://localhost:${site.port}\\n`));
  assert.match(out, new RegExp(`Serving the TikTok token page on http://localhost:${site.port} `));
  // And the form with the final slash too: whether TikTok tells the two apart is not known.
  assert.match(out, new RegExp(`and also, with the final slash: +http://localhost:${site.port}/\\n`));
  assert.match(out, /Next: in the TikTok developer portal, add both to your app's "Advertiser redirect URL"s/);
  assert.match(out, /Its calls go through this computer to TikTok\./);
});

test('the served page loads in Chromium, reaches the start view and proposes the printed URL', { skip: noBrowser }, async () => {
  const seen = await openStartView(browser, site.url);
  assert.deepEqual(seen.errors, []);
  assert.equal(seen.heading, 'Get a TikTok Marketing API access token');
  assert.equal(seen.redirectUri, site.url, 'the page shows the very URL the command told to register');
  // Through serve's relay, on the page's own origin.
  assert.equal(seen.environment, 'Calls go through this computer to TikTok');
  assert.match(seen.environmentHelp, new RegExp(`Requests go to http://localhost:${site.port}/open_api/v1\\.3$`));
  assert.equal(seen.demoBanner, false, 'no demo banner: this page talks to TikTok');
  const wasm = seen.requests.filter((u) => u.endsWith('.wasm'));
  assert.deepEqual(wasm.map((u) => new URL(u).pathname), ['/pkg/tiktok_ads_auth_bg.wasm']);
  for (const u of seen.requests) assert.equal(new URL(u).host, `localhost:${site.port}`, `request left the page: ${u}`);
});

test('every file has its media type and the security headers', async () => {
  const expected = {
    '/': 'text/html; charset=utf-8',
    '/index.html': 'text/html; charset=utf-8',
    '/app.js': 'text/javascript; charset=utf-8',
    '/config.js': 'text/javascript; charset=utf-8',
    '/pkg/tiktok_ads_auth_bg.wasm': 'application/wasm',
  };
  for (const [path, type] of Object.entries(expected)) {
    const r = await rawRequest(site.port, path);
    assert.equal(r.status, 200, path);
    assert.equal(r.headers['content-type'], type, path);
    assert.equal(r.headers['content-security-policy'], "frame-ancestors 'none'", path);
    assert.equal(r.headers['x-content-type-options'], 'nosniff', path);
    assert.equal(r.headers['referrer-policy'], 'no-referrer', path);
    assert.equal(Number(r.headers['content-length']), r.body.length, path);
  }
  // The page's .wasm is the library's own file, shipped once.
  const wasm = await rawRequest(site.port, '/pkg/tiktok_ads_auth_bg.wasm');
  assert.ok(wasm.body.equals(installed('tiktok_ads_auth_bg.wasm')));
  // TikTok's redirect adds a query; the page is still served.
  assert.equal((await rawRequest(site.port, '/?auth_code=abc&state=xyz')).status, 200);
  const head = await rawRequest(site.port, '/app.js', { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.body.length, 0);
  assert.ok(Number(head.headers['content-length']) > 0);
});

test('nothing outside the page is served: traversal, encodings, listings and other methods are refused', async () => {
  // Files a naive static server would hand out from these paths.
  const secrets = [installed('package.json'), installed('bin/server.mjs')];
  const attempts = [
    '/../package.json', '/../../package.json', '/pkg/../../package.json', '/./index.html',
    '/%2e%2e/package.json', '/%2E%2E/%2E%2E/package.json', '/.%2e/package.json', '/pkg/%2e%2e/%2e%2e/package.json',
    '/..%2fpackage.json', '/pkg%2f..%2f..%2fpackage.json', '/..%2Fbin%2Fserver.mjs',
    '/..\\package.json', '/%5c..%5cpackage.json', '/pkg\\..\\..\\package.json',
    '/index.html%00', '/%00', '/index.html\0.js', '/%ZZ',
    '/pkg/', '/pkg', '/bin/server.mjs', '/page/index.html', '/package.json', '/node_modules/', '//package.json',
  ];
  for (const path of attempts) {
    let r;
    try {
      r = await rawRequest(site.port, path);
    } catch (e) {
      // Node's client refuses to send some of these at all (a NUL): nothing left the test.
      assert.match(String(e), /Invalid|unescaped|ERR_/, path);
      continue;
    }
    assert.ok(r.status === 400 || r.status === 404, `${JSON.stringify(path)} answered ${r.status}`);
    for (const s of secrets) assert.ok(!r.body.includes(s), `${JSON.stringify(path)} leaked a file`);
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
  }
  for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
    const r = await rawRequest(site.port, '/', { method });
    assert.equal(r.status, 405, method);
    assert.equal(r.headers.allow, 'GET, HEAD');
  }
  // A page on another site that rebinds its name to 127.0.0.1 gets nothing.
  assert.equal((await rawRequest(site.port, '/', { host: `attacker.example:${site.port}` })).status, 400);
  assert.equal((await rawRequest(site.port, '/', { host: `127.0.0.1:${site.port}` })).status, 200);
});

test('a --host other computers can reach is refused without --allow-remote', async () => {
  for (const host of ['0.0.0.0', '192.0.2.10', '::', 'example.com']) {
    const r = await cli(['serve', '--host', host, '--port', '0']);
    assert.equal(r.code, 2, `${host}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, /would let other computers load the page.*--allow-remote/, host);
    assert.equal(r.stdout, '', `${host}: nothing was served`);
  }
  const remote = await startServing(bin, ['serve', '--host', '0.0.0.0', '--port', '0', '--allow-remote'], { cwd: dir });
  try {
    assert.match(remote.output(), /other computers may load the page too/);
    assert.equal((await rawRequest(remote.port, '/', { host: `192.0.2.10:${remote.port}` })).status, 200,
      'with --allow-remote, other names reach it');
  } finally {
    await remote.stop();
  }
  const local = await startServing(bin, ['serve', '--host', 'localhost', '--port', '0'], { cwd: dir });
  await local.stop();
});

test('a port in use and bad options are reported, not thrown', async () => {
  const busy = await cli(['serve', '--port', String(site.port)]);
  assert.equal(busy.code, 2);
  assert.match(busy.stderr, new RegExp(`port ${site.port} on 127\\.0\\.0\\.1 is in use`));
  for (const args of [['serve', '--port', 'eighty'], ['serve', '--port', '70000'], ['serve', '--bogus'], ['serve', 'extra'], ['deploy']]) {
    const r = await cli(args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, /^tiktok-ads-auth: /, args.join(' '));
    assert.ok(!r.stderr.includes('    at '), 'no stack trace');
  }
  const help = await cli(['--help']);
  assert.equal(help.code, 0);
  for (const word of ['serve', 'build-page DIR', '--port', '--host', '--allow-remote', '--no-relay', '--api-base', '--environment']) {
    assert.ok(help.stdout.includes(word), word);
  }
  assert.equal((await cli(['--version'])).stdout.trim(), pack.manifest.version);
  assert.equal((await cli(['version'])).stdout.trim(), pack.manifest.version);
  assert.equal((await cli(['help'])).stdout, help.stdout);
});

test('importing the library never reaches the command or the page', async () => {
  for (const path of ['tiktok-ads-auth/bin/tiktok-ads-auth.mjs', 'tiktok-ads-auth/bin/server.mjs', 'tiktok-ads-auth/page/app.js']) {
    const script = `import(${JSON.stringify(path)}).then(() => console.log('loaded'), (e) => console.log(e.code))`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: dir });
    assert.equal(stdout.trim(), 'ERR_PACKAGE_PATH_NOT_EXPORTED', path);
  }
});

test('npx tiktok-ads-auth runs the installed command', async () => {
  // npx answers --version and --help itself, even after the package name: hence the words.
  const npx = (args) => run('npx', ['--offline', '--no', 'tiktok-ads-auth', ...args], { cwd: dir, timeout: 30_000 });
  assert.equal((await npx(['version'])).stdout.trim(), pack.manifest.version);
  assert.match((await npx(['help'])).stdout, /npx tiktok-ads-auth serve/);
  const served = await startServing('npx', ['--offline', '--no', 'tiktok-ads-auth', 'serve', '--port', '0'], { cwd: dir });
  try {
    assert.equal((await rawRequest(served.port, '/')).status, 200);
  } finally {
    await served.stop();
  }
});

test('build-page DIR writes the page that serve serves', async () => {
  const out = join(pack.work, 'upload');
  const r = await cli(['build-page', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`Wrote the TikTok token page to .*upload \\(${PAGE.length} files\\)`));
  assert.match(r.stdout, /register the page's exact address as your app's "Advertiser redirect URL"/);
  const written = readdirSync(out, { recursive: true }).filter((f) => f.includes('.')).map((f) => f.replaceAll('\\', '/')).sort();
  assert.deepEqual(written, PAGE);
  for (const f of PAGE) {
    const served = await rawRequest(site.port, '/' + f);
    // serve's config.js names its relay; the written one is the package's own.
    const expected = f === 'config.js' ? installed('page/config.js') : served.body;
    assert.ok(readFileSync(join(out, f)).equals(expected), `${f} differs from the served one`);
  }
  const again = await cli(['build-page', out]);
  assert.equal(again.code, 2, 'a folder that is not empty is not overwritten');
  assert.match(again.stderr, /is not empty.*--force/);
  assert.equal((await cli(['build-page', out, '--force'])).code, 0);
  assert.equal((await cli(['build-page'])).code, 2);
});

/** The settings a config.js sets, read as the page reads them. */
function settingsOf(file) {
  const sandbox = { window: {} };
  runInNewContext(readFileSync(file, 'utf8'), sandbox);
  return JSON.parse(JSON.stringify(sandbox.window.tiktokAdsAuthConfig));
}

test('build-page --api-base/--environment writes config.js', async () => {
  const out = join(pack.work, 'relay');
  const base = 'http://127.0.0.1:9/open_api/v1.3';
  const r = await cli(['build-page', out, '--api-base', base + '/', '--environment', 'My relay']);
  assert.equal(r.code, 0, r.stderr);
  const config = settingsOf(join(out, 'config.js'));
  assert.deepEqual(config.environments, {
    'My relay': base,
    production: 'https://business-api.tiktok.com/open_api/v1.3',
    sandbox: 'https://sandbox-ads.tiktok.com/open_api/v1.3',
  });
  assert.equal(config.defaultEnvironment, 'My relay');
  assert.equal(config.demo, null);
  for (const f of ['index.html', 'app.js', 'pkg/tiktok_ads_auth_bg.wasm']) {
    assert.ok(readFileSync(join(out, f)).equals((await rawRequest(site.port, '/' + f)).body), f);
  }

  const sandbox = join(pack.work, 'sandbox');
  assert.equal((await cli(['build-page', sandbox, '--environment', 'sandbox'])).code, 0);
  assert.equal(settingsOf(join(sandbox, 'config.js')).defaultEnvironment, 'sandbox');
  const host = join(pack.work, 'host');
  assert.equal((await cli(['build-page', host, '--api-base', 'https://relay.example.com/open_api/v1.3'])).code, 0);
  assert.equal(settingsOf(join(host, 'config.js')).defaultEnvironment, 'relay.example.com');
});

test('the page built with --api-base opens on that API base', { skip: noBrowser }, async () => {
  const out = join(pack.work, 'relay-page');
  assert.equal((await cli(['build-page', out, '--api-base', 'http://127.0.0.1:9/open_api/v1.3', '--environment', 'My relay'])).code, 0);
  const relay = await startServing(bin, ['serve', '--dir', out, '--port', '0'], { cwd: dir });
  try {
    const seen = await openStartView(browser, relay.url);
    assert.deepEqual(seen.errors, []);
    assert.equal(seen.environment, 'My relay');
    assert.match(seen.environmentHelp, /Requests go to http:\/\/127\.0\.0\.1:9\/open_api\/v1\.3/);
  } finally {
    await relay.stop();
  }
});

test('scripts/build-page.mjs takes the same --api-base/--environment and writes the same config.js', async () => {
  const args = ['--api-base', 'https://relay.example.com/open_api/v1.3', '--environment', 'relay'];
  const fromCommand = join(pack.work, 'same-command');
  const fromScript = join(pack.work, 'same-script');
  assert.equal((await cli(['build-page', fromCommand, ...args])).code, 0);
  await run(process.execPath, [join(ROOT, 'scripts/build-page.mjs'), '--out', fromScript, ...args]);
  assert.equal(readFileSync(join(fromScript, 'config.js'), 'utf8'), readFileSync(join(fromCommand, 'config.js'), 'utf8'));
  assert.equal(settingsOf(join(fromScript, 'config.js')).environments.relay, 'https://relay.example.com/open_api/v1.3');
  await assert.rejects(run(process.execPath, [join(ROOT, 'scripts/build-page.mjs'), '--out', join(pack.work, 'plain-http'),
    '--api-base', 'http://relay.example.com/open_api/v1.3']), (e) => /must start with https:\/\//.test(e.stderr));
  await assert.rejects(run(process.execPath, [join(ROOT, 'scripts/build-page.mjs'), '--out', join(pack.work, 'demo-relay'),
    '--standin', 'http://127.0.0.1:9', '--api-base', 'https://relay.example.com/']), (e) => /--standin builds the demo/.test(e.stderr));
});

test('build-page refuses an API base that is not https (except on this computer), or a bad name', async () => {
  const cases = [
    [['--api-base', 'http://relay.example.com/open_api/v1.3'], /must start with https:\/\//],
    [['--api-base', 'ftp://relay.example.com/'], /must be an absolute URL starting with https:\/\//],
    [['--api-base', 'relay.example.com'], /must be an absolute URL/],
    [['--api-base', 'https://user:pw@relay.example.com/open_api/v1.3'], /user name or password/],
    [['--api-base', 'https://relay.example.com/open_api/v1.3?x=1'], /query/],
    [['--environment', 'staging'], /not one of production, sandbox/],
    [['--environment', 'custom', '--api-base', 'https://relay.example.com/'], /taken by the page's own/],
    [['--environment', 'a\u2028b', '--api-base', 'https://relay.example.com/'], /short name/],
  ];
  for (const [args, message] of cases) {
    const out = join(pack.work, 'refused');
    const r = await cli(['build-page', out, ...args]);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, message, args.join(' '));
    let files = [];
    try {
      files = readdirSync(out);
    } catch {
      // not created: fine
    }
    assert.deepEqual(files, [], 'nothing written');
  }
});

test('serve --dir refuses a folder that is not a built page', async () => {
  const empty = join(pack.work, 'not-a-page');
  mkdirSync(empty);
  writeFileSync(join(empty, 'index.html'), '<!doctype html>');
  const r = await cli(['serve', '--dir', empty, '--port', '0']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /is not a built page: app\.js, config\.js, result\.js, check\.js, scopes\.js, exports\.js, dom\.js, pkg\/tiktok_ads_auth_bg\.wasm missing/);
});
