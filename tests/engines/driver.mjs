// One WebDriver client (selenium-webdriver) for the three browser engines the page is tested in:
// Chromium (chromedriver), Firefox ESR (geckodriver) and WebKitGTK (WebKitWebDriver driving
// MiniBrowser, which needs a display: run under `xvfb-run -a`). Each driver server is started
// here on a free loopback port and the session is created on it, so the client never looks for
// or downloads a driver or a browser of its own: only Debian's browsers run
// (`scripts/setup.sh --browsers` installs them and geckodriver).
//
// Choose engines with ENGINES=chromium,firefox,webkit (default: all three).
//
// The tests drive the page with the steps the Playwright suite uses too (../page-steps/steps.mjs,
// through `webdriverPage(driver)`, ../page-steps/webdriver.mjs); this file starts the engines and
// keeps the page helpers only this suite needs (`shown`, the download capture).
// The page's element ids these tests rely on besides the steps' (www/index.html), kept few on purpose:
//   views      the shown view's <h1>; #view-start #view-callback #view-error #view-result (at 360 px)
//   callback   #auth-code #state-verdict #exchange-form #loading
//   result     #advertisers #download #revoke #revoke-dialog #revoke-confirm #revoked-note
//   error      #error-body #curl
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Builder } from 'selenium-webdriver';
import BrowsingContext from 'selenium-webdriver/bidi/browsingContext.js';
import { inPage } from '../page-steps/webdriver.mjs';

export const ENGINES = {
  chromium: {
    label: 'Chromium',
    driver: () => which('chromedriver'),
    driverArgs: (port) => [`--port=${port}`, '--allowed-ips=127.0.0.1'],
    narrowing: 'window',
    capabilities: (downloads) => ({
      browserName: 'chrome',
      'goog:chromeOptions': {
        binary: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
        args: ['--headless=new', '--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu',
          '--disable-background-networking', '--disable-component-update', '--no-first-run',
          '--window-size=1280,800'],
        prefs: { 'download.default_directory': downloads, 'download.prompt_for_download': false },
      },
    }),
    savesDownloads: true,
  },
  firefox: {
    label: 'Firefox ESR',
    driver: () => which('geckodriver'),
    // geckodriver also listens for WebDriver BiDi (9222 by default): a free port of its own, so
    // that suites running side by side do not collide.
    driverArgs: (port, second) => ['--host', '127.0.0.1', '--port', String(port), '--websocket-port', String(second)],
    narrowing: 'bidi',
    capabilities: (downloads) => ({
      browserName: 'firefox',
      // WebDriver BiDi too: Firefox keeps a window at least 500 px wide, and BiDi's
      // browsingContext.setViewport sizes the viewport itself (see `narrowViewport`).
      webSocketUrl: true,
      'moz:firefoxOptions': {
        binary: process.env.FIREFOX_PATH || which('firefox-esr', false) || which('firefox'),
        args: ['-headless'],
        prefs: {
          'browser.download.folderList': 2,
          'browser.download.dir': downloads,
          'browser.download.useDownloadDir': true,
          'browser.download.always_ask_before_handling_new_types': false,
          'browser.helperApps.neverAsk.saveToDisk': 'application/json',
          'browser.download.panel.shown': true,
        },
      },
    }),
    savesDownloads: true,
  },
  webkit: {
    label: 'WebKitGTK',
    driver: () => which('WebKitWebDriver'),
    driverArgs: (port) => [`--port=${port}`, '--host=127.0.0.1'],
    narrowing: 'window',
    capabilities: () => ({
      browserName: 'MiniBrowser',
      'webkitgtk:browserOptions': { binary: miniBrowser(), args: ['--automation'] },
    }),
    // MiniBrowser has no download folder to point at: the file's name and contents are read
    // from what the page hands the browser (see `captureDownloads`).
    savesDownloads: false,
    // MiniBrowser's toolbar keeps its window at least 447 px wide, and the page refuses to run in
    // a frame: WebKit is checked at the narrowest window it allows.
    narrowest: 450,
  },
};

export function selectedEngines() {
  const names = (process.env.ENGINES || 'chromium,firefox,webkit').split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) if (!ENGINES[n]) throw new Error(`ENGINES: unknown engine ${n} (chromium, firefox, webkit)`);
  return names;
}

function which(name, required = true) {
  for (const dir of (process.env.PATH || '').split(':')) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  if (required) throw new Error(`${name} is not on PATH: run scripts/setup.sh --browsers`);
  return null;
}

/** WebKitGTK's MiniBrowser, found where Debian's libwebkit2gtk-4.1-0 puts it. */
function miniBrowser() {
  if (process.env.MINIBROWSER_PATH) return process.env.MINIBROWSER_PATH;
  const files = execFileSync('dpkg', ['-L', 'libwebkit2gtk-4.1-0'], { encoding: 'utf8' }).split('\n');
  const found = files.find((f) => /\/MiniBrowser$/.test(f));
  if (!found) throw new Error('MiniBrowser not found in libwebkit2gtk-4.1-0: run scripts/setup.sh --browsers');
  return found;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts the engine's WebDriver server and a session on it. Returns the selenium driver, the
 * engine's description, its download folder, and `quit()` which ends both.
 */
export async function startEngine(name) {
  const engine = ENGINES[name];
  if (name === 'webkit' && !process.env.DISPLAY) {
    throw new Error('WebKitGTK (MiniBrowser) needs a display: run the suite under xvfb-run -a');
  }
  const downloads = mkdtempSync(join(tmpdir(), `tiktok-ads-auth-${name}-downloads-`));
  const port = await freePort();
  const second = await freePort();
  let log = '';
  const server = spawn(engine.driver(), engine.driverArgs(port, second), { stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout.on('data', (d) => { log = (log + d).slice(-4000); });
  server.stderr.on('data', (d) => { log = (log + d).slice(-4000); });
  const exited = new Promise((resolve) => server.once('exit', resolve));
  const url = `http://127.0.0.1:${port}`;
  // Ready once /status answers (bounded: 15 s).
  let ready = false;
  for (let i = 0; i < 150 && !ready && server.exitCode === null; i++) {
    ready = await fetch(`${url}/status`).then((r) => r.ok, () => false);
    if (!ready) await sleep(100);
  }
  const stopServer = async () => {
    if (server.exitCode === null) {
      server.kill('SIGTERM');
      await Promise.race([exited, sleep(5000)]);
      if (server.exitCode === null) server.kill('SIGKILL');
    }
    rmSync(downloads, { recursive: true, force: true });
  };
  if (!ready) {
    await stopServer();
    throw new Error(`${engine.label}: the WebDriver server did not start:\n${log}`);
  }
  let driver;
  try {
    driver = await new Builder().usingServer(url).withCapabilities(engine.capabilities(downloads)).build();
    await driver.manage().setTimeouts({ script: 15_000, pageLoad: 20_000 });
    await driver.manage().window().setRect({ width: 1280, height: 800 });
  } catch (e) {
    await stopServer();
    throw new Error(`${engine.label}: no session: ${e.message}\n${log}`);
  }
  return {
    name,
    label: engine.label,
    savesDownloads: engine.savesDownloads,
    narrowest: engine.narrowest ?? 360,
    /** Makes the viewport `width` CSS px wide (or as narrow as the engine allows); returns undo. */
    async narrowViewport(width) {
      if (engine.narrowing === 'bidi') {
        const context = await BrowsingContext(driver, { browsingContextId: await driver.getWindowHandle() });
        await context.setViewport(width, 800);
        return () => context.bidi.send({ method: 'browsingContext.setViewport',
          params: { context: context.id, viewport: null } });
      }
      const rect = await driver.manage().window().getRect();
      // The window's frame differs by engine: size it until the viewport itself is `width`.
      let outer = width;
      for (let i = 0; i < 3; i++) {
        await driver.manage().window().setRect({ width: outer, height: 800 });
        const inner = await driver.executeScript('return window.innerWidth');
        if (inner === width) break;
        outer = Math.max(200, outer + width - inner);
      }
      return () => driver.manage().window().setRect({ width: rect.width, height: rect.height });
    },
    downloads,
    driver,
    async quit() {
      await driver.quit().catch(() => {});
      await stopServer();
    },
  };
}

// ------------------------------------------------------------------------------ page helpers
// The page steps and the WebDriver adapter they drive (../page-steps/); here only what the
// WebDriver suite alone does.

export { inPage, until as waitFor } from '../page-steps/webdriver.mjs';

/** True when the element exists, is not inside a [hidden] ancestor and takes up space. */
export const shown = (driver, css) => inPage(driver, (s) => {
  const el = document.querySelector(s);
  return !!el && !el.closest('[hidden]') && el.getClientRects().length > 0;
}, css);

/**
 * Records what the page hands the browser to download: the <a download> it clicks and the Blob
 * behind its object URL (read later with `downloaded`). The click still goes through.
 */
export async function captureDownloads(driver) {
  await inPage(driver, () => {
    window.__blobs = new Map();
    window.__downloads = [];
    const create = URL.createObjectURL;
    URL.createObjectURL = function (blob) {
      const url = create.call(URL, blob);
      window.__blobs.set(url, blob);
      return url;
    };
    const click = HTMLAnchorElement.prototype.click;
    HTMLAnchorElement.prototype.click = function () {
      if (this.hasAttribute('download')) window.__downloads.push({ name: this.download, href: this.href });
      return click.call(this);
    };
  });
}

/** The downloads captured so far: [{name, type, text}]. */
export async function downloaded(driver) {
  return driver.executeAsyncScript(`
    const done = arguments[arguments.length - 1];
    Promise.all((window.__downloads || []).map(async (d) => {
      const blob = window.__blobs.get(d.href);
      return { name: d.name, type: blob ? blob.type : null, text: blob ? await blob.text() : null };
    })).then(done, (e) => done({ error: String(e) }));`);
}
