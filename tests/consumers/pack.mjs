// Shared by the package tests (tests/consumers/, tests/types/): assembles the npm package from
// pkg/ (never rebuilds the wasm), packs it with `npm pack` into a temporary folder, and installs
// the tarball into temporary copies of the consumer projects, as a user would get it.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const APP_ID = '7000000000000000001';
export const SECRET = 'consumer-secret-Qx7!';

const npm = (args, cwd) =>
  execFileSync('npm', [...args, '--no-audit', '--no-fund', '--no-update-notifier', '--ignore-scripts'], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  }).toString();

/**
 * Builds the package into a fresh temporary folder and packs it. Returns the folder, the
 * tarball, `npm pack --json`'s report and `cleanup()`.
 *
 * With TIKTOK_ADS_AUTH_TARBALL set (scripts/test.sh packs once with `node tests/consumers/pack.mjs
 * DIR` and runs every package suite, then the package's tests on each Node version, on that one
 * tarball), that tarball is used as it is: it is unpacked into the fresh folder, never rebuilt,
 * and `cleanup()` leaves it in place. Unset, each test file packs its own.
 */
export function packPackage() {
  const packed = process.env.TIKTOK_ADS_AUTH_TARBALL;
  if (packed) return unpackPackage(resolve(packed));
  for (const f of ['tiktok_ads_auth.js', 'tiktok_ads_auth_bg.wasm', 'tiktok_ads_auth.d.ts']) {
    assert.ok(existsSync(join(ROOT, 'pkg', f)), `pkg/${f} is missing: run bash scripts/build-wasm.sh first`);
  }
  const work = mkdtempSync(join(tmpdir(), 'tiktok-ads-auth-npm-'));
  const packageDir = join(work, 'package');
  let report;
  try {
    // A failed build throws with its stderr in the message; a warning (no repository) stays quiet.
    execFileSync(process.execPath, [join(ROOT, 'scripts/build-npm.mjs'), '--out', packageDir], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    [report] = JSON.parse(npm(['pack', packageDir, '--pack-destination', work, '--json'], work));
  } catch (e) {
    rmSync(work, { recursive: true, force: true });
    throw e;
  }
  return {
    work,
    packageDir,
    tarball: join(work, report.filename),
    report,
    manifest: JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')),
    cleanup: () => rmSync(work, { recursive: true, force: true }),
  };
}

/**
 * `packPackage()`'s answer for a tarball packed before; the report lists its files and gives the
 * packed and unpacked sizes, as npm's does.
 */
function unpackPackage(tarball) {
  assert.ok(existsSync(tarball), `TIKTOK_ADS_AUTH_TARBALL names no file: ${tarball}`);
  const work = mkdtempSync(join(tmpdir(), 'tiktok-ads-auth-npm-'));
  try {
    execFileSync('tar', ['-xzf', tarball, '-C', work], { stdio: ['ignore', 'ignore', 'pipe'] });
    const files = execFileSync('tar', ['-tzf', tarball]).toString().split('\n').filter((f) => f && !f.endsWith('/'))
      .map((f) => ({ path: f.replace(/^package\//, '') }));
    const packageDir = join(work, 'package');
    const unpackedSize = files.reduce((sum, f) => sum + statSync(join(packageDir, f.path)).size, 0);
    return {
      work,
      packageDir,
      tarball,
      report: { filename: basename(tarball), files, size: statSync(tarball).size, unpackedSize },
      manifest: JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')),
      cleanup: () => rmSync(work, { recursive: true, force: true }),
    };
  } catch (e) {
    rmSync(work, { recursive: true, force: true });
    throw e;
  }
}

/**
 * Copies `tests/<fixture>` into `work` and installs the tarball there with no registry access
 * (the package has no dependencies). Dev dependencies of the fixture (Vite) are dropped from the
 * copy: the tests use the repository's own, so nothing else is installed per run.
 */
export function installConsumer(fixture, { work, tarball }) {
  const dir = join(work, fixture.replaceAll('/', '-'));
  cpSync(join(ROOT, 'tests', fixture), dir, { recursive: true, filter: (src) => !src.includes('node_modules') });
  const manifestPath = join(dir, 'package.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  delete manifest.devDependencies;
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n');
  npm(['install', '--no-save', '--no-package-lock', '--offline', tarball], dir);
  assert.ok(existsSync(join(dir, 'node_modules/tiktok-ads-auth/package.json')), 'the tarball did not install');
  return dir;
}

/** The machine's Chromium through playwright-core (never a downloaded browser). */
export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-gpu'],
  });
}

/**
 * Drives the consumer app shared by the browser fixtures (vite-app, plain-page): opens it as
 * TikTok's redirect would, with a fresh auth code, types the secret, clicks the button, and
 * returns what the app showed plus every request and error the page saw.
 */
export async function exchangeInBrowser(browser, standin, appUrl, scenario) {
  const context = await browser.newContext();
  context.setDefaultTimeout(15_000);
  const requests = [];
  const errors = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  // The first page error ends the wait at once, with the error, instead of a timeout.
  let failed;
  const failure = new Promise((_, reject) => (failed = reject));
  failure.catch(() => {});
  const orFail = (promise) => Promise.race([promise, failure]);
  page.on('pageerror', (e) => {
    errors.push(String(e));
    failed(new Error(`the page threw: ${e}`));
  });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text());
  });
  try {
    const authCode = standin.issueCode({ appId: APP_ID, scenario });
    const url = new URL(appUrl);
    url.searchParams.set('auth_base', `${standin.url}/s/${scenario}/ok`);
    url.searchParams.set('api_base', `${standin.url}/s/${scenario}/ok/open_api/v1.3`);
    url.searchParams.set('auth_code', authCode);
    url.searchParams.set('state', 'st');
    await orFail(page.goto(url.href));
    // The app's module sets the link once the package is ready.
    await orFail(page.waitForSelector('#authorize[href]', { state: 'attached' }));
    await page.fill('input[name=secret]', SECRET);
    await page.click('button');
    await orFail(page.waitForSelector('#result:not([data-state="idle"])'));
    return {
      authCode,
      state: await page.getAttribute('#result', 'data-state'),
      result: JSON.parse(await page.textContent('#result')),
      shownCode: await page.textContent('#code'),
      authorizeHref: await page.getAttribute('#authorize', 'href'),
      location: page.url(),
      requests,
      errors,
    };
  } finally {
    await context.close();
  }
}

/** What every successful exchange in a consumer must show, and what the stand-in must have seen. */
export function assertExchanged(outcome, standin, scenario) {
  assert.deepEqual(outcome.errors, [], 'the page logged errors');
  assert.equal(outcome.state, 'done', JSON.stringify(outcome.result));
  assert.match(outcome.result.accessToken, /^[0-9a-f]{40}$/);
  assert.deepEqual(outcome.result.advertiserIds, ['7000000000000000001', '7000000000000000002']);
  assert.equal(outcome.shownCode, outcome.authCode);
  assert.ok(!outcome.location.includes('auth_code'), 'the app removes the code from the address bar');
  const authorize = new URL(outcome.authorizeHref);
  assert.equal(authorize.pathname, `/s/${scenario}/ok/portal/auth`);
  assert.match(authorize.searchParams.get('state'), /^[A-Za-z0-9_-]{43}$/, 'a generated state');
  const wasm = outcome.requests.filter((u) => new URL(u).pathname.endsWith('.wasm'));
  assert.equal(wasm.length, 1, `the .wasm is loaded once: ${wasm.join(', ')}`);
  const posts = standin.records(scenario).filter((r) => r.method === 'POST');
  assert.equal(posts.length, 1, 'one token request');
  assert.equal(posts[0].path, `/s/${scenario}/ok/open_api/v1.3/oauth2/access_token/`);
  assert.deepEqual(JSON.parse(posts[0].body), { app_id: APP_ID, secret: SECRET, auth_code: outcome.authCode });
}

/**
 * Starts a command that serves the page (the package's `tiktok-ads-auth serve`, or
 * scripts/serve.sh --tiktok) in its own process group and waits, at most `timeoutMs`, for the
 * address it prints. `stop()` ends the whole group (a shell and the server it started).
 */
export async function startServing(command, args, { cwd, env = {}, timeoutMs = 30_000 } = {}) {
  const { spawn } = await import('node:child_process');
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  child.on('error', (e) => (output += `\n${e}`)); // could not start: reported with the output below
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const stop = async () => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }, 5_000);
      await exited;
      clearTimeout(timer);
    }
  };
  const deadline = Date.now() + timeoutMs;
  let match;
  while (!(match = /redirect URL to register: +(http:\/\/localhost:(\d+))\n/.exec(output))) {
    const gone = child.exitCode !== null || child.signalCode !== null || child.pid === undefined;
    if (gone || Date.now() > deadline) {
      await stop();
      throw new Error(`${command} ${args.join(' ')} ${gone ? 'exited' : 'printed no address in time'}:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url: match[1], port: Number(match[2]), output: () => output, exited, stop };
}

/**
 * One HTTP request with the path sent exactly as given (fetch and browsers would normalise
 * "/../" away). Resolves with the status, headers and body.
 */
export async function rawRequest(port, path, { method = 'GET', host = `localhost:${port}` } = {}) {
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    // A fresh connection each time (Node ≥ 19 keeps them alive by default): one per request, as sent.
    const req = request({ host: '127.0.0.1', port, method, path, headers: { Host: host }, agent: false, timeout: 5_000 }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer to ${method} ${path}`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * Opens the production page at `url` and waits for its start view. Returns what a newcomer
 * sees first: the redirect URL it proposes, the environment chosen, whether the demo banner
 * shows, and every page error, console error and CSP violation.
 */
export async function openStartView(browser, url) {
  const context = await browser.newContext();
  context.setDefaultTimeout(15_000);
  const errors = [];
  const requests = [];
  context.on('request', (r) => requests.push(r.url()));
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  try {
    await page.goto(url);
    await page.waitForSelector('#view-start:not([hidden])');
    return {
      heading: (await page.textContent('#start-heading')).trim(),
      redirectUri: await page.inputValue('#redirect-uri'),
      environment: await page.inputValue('#environment'),
      environmentHelp: await page.textContent('#environment-help'),
      demoBanner: await page.isVisible('#demo-banner'),
      errors,
      requests,
    };
  } finally {
    await context.close();
  }
}

// `node tests/consumers/pack.mjs DIR`: builds and packs the package once into DIR (kept) and prints
// the tarball's path, for TIKTOK_ADS_AUTH_TARBALL.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dest = resolve(process.argv[2] ?? assert.fail('usage: node tests/consumers/pack.mjs DIR'));
  const pack = packPackage();
  try {
    mkdirSync(dest, { recursive: true });
    const tarball = join(dest, basename(pack.tarball));
    copyFileSync(pack.tarball, tarball);
    console.log(tarball);
  } finally {
    pack.cleanup();
  }
}
