// The page's main flows in each browser engine (Chromium, Firefox ESR, WebKitGTK), driven over
// WebDriver against the local TikTok stand-in: the whole demo flow, the state check, the CORS
// fallback, TikTok's error text, revoke, download, the Content-Security-Policy, and a 360 px
// wide screen. Run: `xvfb-run -a node --test tests/engines/` (ENGINES=firefox to pick one).
// The steps (arrive, exchange, reveal, …) are the Playwright suite's too: ../page-steps/steps.mjs,
// driving `page`, the WebDriver adapter of ../page-steps/webdriver.mjs.
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSite } from '../e2e/helpers.mjs';
import {
  APP_ID, SECRET, approve, arrive, authorize, authorizeAndExchange, calls, curlAnswer, exchange, openStart,
  pasteAnswer, reveal, useApiBase, waitForStatus, waitForView,
} from '../page-steps/steps.mjs';
import { webdriverPage } from '../page-steps/webdriver.mjs';
import { captureDownloads, downloaded, inPage, selectedEngines, shown, startEngine, waitFor } from './driver.mjs';

for (const name of selectedEngines()) {
  describe(name, () => {
    let engine;
    let site;
    let driver;
    let page; // the page steps' adapter for `driver`
    before(async () => {
      [engine, site] = await Promise.all([startEngine(name), startSite()]);
      driver = engine.driver;
      page = webdriverPage(driver);
    });
    after(async () => {
      await engine?.quit();
      await site?.close();
    });
    // Each test starts as a new visitor: no state issued, no remembered settings.
    beforeEach(async () => {
      await driver.get(site.page);
      await inPage(driver, () => { sessionStorage.clear(); localStorage.clear(); });
    });

    /** A scenario name of this engine's own (the stand-in keeps records per scenario). */
    const scenario = (s) => `${name}-${s}`;

    /** From the callback view, exchanges the code against `behaviour` of the scenario. */
    async function exchangeVia(scenarioName, behaviour, secret = SECRET) {
      await useApiBase(page, site.apiBase(scenarioName, behaviour));
      await exchange(page, secret);
    }

    /** Arrives and exchanges successfully; returns the code and the revealed token. */
    async function toResult(scenarioName) {
      const code = await authorizeAndExchange(page, site, { scenario: scenarioName });
      const token = await reveal(page);
      assert.match(token, /^[0-9a-f]{40}$/, 'the revealed token');
      return { code, token };
    }

    test(`${name}: the demo flow: start, authorize on the consent page, callback, secret, token`, async () => {
      site.standin.reset('default');
      await openStart(page, site.page);
      // The stand-in's consent page, at TikTok's place.
      const authUrl = await authorize(page, site, { appId: APP_ID });
      assert.equal(authUrl.searchParams.get('app_id'), APP_ID);
      assert.equal(authUrl.searchParams.get('redirect_uri'), site.page.slice(0, -1), 'at the root, without the trailing slash');
      assert.ok(authUrl.searchParams.get('state'), 'the page sent a state');
      await approve(page);
      assert.equal(await driver.getCurrentUrl(), site.page, 'the OAuth parameters are stripped from the address bar');
      assert.match(await page.text('#state-verdict'), /State verified/);
      const code = await page.text('#auth-code');
      assert.match(code, /^[0-9a-f]{40}$/);

      await exchange(page, SECRET);
      await page.waitFor('#view-result h1');
      await waitForStatus(page, 'Access token received for 2 advertiser accounts.');
      const exchanges = calls(site, 'default', 'access_token');
      assert.equal(exchanges.length, 1);
      assert.deepEqual(JSON.parse(exchanges[0].body), { app_id: APP_ID, secret: SECRET, auth_code: code });

      // Masked until revealed; then the token TikTok (the stand-in) issued.
      assert.match(await page.text('#token'), /^•+hidden$/);
      const token = await reveal(page);
      assert.match(token, /^[0-9a-f]{40}$/);
      await waitFor(async () => (await page.text('#advertisers')).includes('Demo Shop EU'), 'the advertiser names');
      assert.match(await page.text('#advertisers'), /Demo Shop EU7000000000000000001.*Demo Shop US7000000000000000002/s);
      const html = await inPage(driver, () => document.documentElement.outerHTML);
      assert.ok(!html.includes(SECRET), 'the secret stays in no element once sent');
    });

    test(`${name}: before app.js arrives, the code is shown and the secret can be typed; nothing can be sent`, async () => {
      // The page as a slow link shows it before app.js and the WebAssembly arrive: here they never do.
      const early = join(site.dir, 'early');
      mkdirSync(early, { recursive: true });
      for (const f of ['index.html', 'config.js']) copyFileSync(join(site.dir, f), join(early, f));
      const code = site.standin.issueCode({ appId: APP_ID, scenario: scenario('early') });
      await driver.get(`${site.page}early/?auth_code=${code}&state=s`);
      await page.waitFor('#view-callback[aria-busy="true"] h1');
      assert.equal(await page.text('#auth-code'), code);
      assert.ok(await shown(driver, '#exchange-form #loading'), 'says it is still loading');
      await page.fill('#secret', SECRET);
      assert.equal(await inPage(driver, () => document.getElementById('secret').value), SECRET);
      assert.equal(await inPage(driver, () => document.getElementById('exchange').disabled), true);
      await page.click('#exchange').catch(() => { /* a disabled button may refuse the click */ });
      assert.equal(site.standin.records(scenario('early')).length, 0);
    });

    test(`${name}: a state the page issued is verified; a different one is refused and nothing is sent`, async () => {
      const s = scenario('state');
      site.standin.reset(s);
      // The page issues a state when the user authorizes; an attacker's redirect carries another.
      await openStart(page, site.page);
      const issued = (await authorize(page, site, { appId: APP_ID })).searchParams.get('state');

      await arrive(page, site, { scenario: s, state: issued });
      assert.match(await page.text('#state-verdict'), /State verified/);

      await openStart(page, site.page); // authorize again: a new state is issued
      await authorize(page, site);
      const code = site.standin.issueCode({ appId: APP_ID, scenario: s });
      await driver.get(`${site.page}?auth_code=${code}&state=forged-state`);
      await waitForView(page, 'This answer does not match the authorization started here');
      assert.match(await page.text('#error-body'), /the code was not exchanged/);
      assert.equal(await shown(driver, '#exchange-form'), false);
      assert.equal(await driver.getCurrentUrl(), site.page);
      assert.equal(site.standin.records(s).length, 0, 'nothing reached TikTok');
    });

    test(`${name}: CORS failure: curl command, pasted answer, result`, async () => {
      const s = scenario('cors');
      site.standin.reset(s);
      const code = await arrive(page, site, { scenario: s });
      await exchangeVia(s, 'nocors');
      await waitForView(page, 'Your browser got no answer from TikTok');
      assert.equal(calls(site, s, 'access_token').length, 0, 'the browser never sent the POST: the code is unused');
      await page.waitFor('#curl');
      const curl = await page.text('#curl');
      assert.ok(curl.includes(`${site.apiBase(s, 'nocors')}/oauth2/access_token/`), curl);
      for (const value of [APP_ID, SECRET, code]) assert.ok(curl.includes(value), `curl lacks ${value}`);

      // What the terminal prints: the same request sent outside the browser.
      const answer = await curlAnswer(site, s, code);
      await pasteAnswer(page, answer);
      await page.waitFor('#view-result h1');
      assert.equal(await reveal(page), JSON.parse(answer).data.access_token);
      assert.match(await page.text('#advertisers'), /7000000000000000001.*7000000000000000002/s);
    });

    test(`${name}: TikTok's error message is shown as text, never as markup`, async () => {
      const s = scenario('html');
      await arrive(page, site, { scenario: s });
      await inPage(driver, () => { delete window.__pwned; });
      await exchangeVia(s, 'html');
      await waitForView(page, 'TikTok refused the request');
      const body = await page.text('#error-body');
      assert.ok(body.includes('<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>'), body);
      assert.equal(await inPage(driver, () => document.querySelectorAll('#error-body img, #error-body script').length), 0);
      assert.equal(await inPage(driver, () => window.__pwned ?? null), null);
    });

    test(`${name}: revoke asks first, then revokes the token once`, async () => {
      const s = scenario('revoke');
      site.standin.reset(s);
      const { token } = await toResult(s);
      await page.click('#revoke');
      await waitFor(() => inPage(driver, () => document.getElementById('revoke-dialog').open), 'the confirmation dialog');
      assert.equal(calls(site, s, 'revoke_token').length, 0, 'opening the dialog sends nothing');
      await page.click('#revoke-confirm');
      await page.waitFor('#revoked-note');
      await waitForStatus(page, 'The token has been revoked.');
      const revokes = calls(site, s, 'revoke_token');
      assert.equal(revokes.length, 1);
      assert.deepEqual(JSON.parse(revokes[0].body), { app_id: APP_ID, secret: SECRET, access_token: token });
      assert.equal(await inPage(driver, () => document.getElementById('revoke').disabled), true);
    });

    test(`${name}: the result downloads as JSON`, async () => {
      const s = scenario('download');
      site.standin.reset(s);
      const { token } = await toResult(s);
      await captureDownloads(driver);
      await page.click('#download');
      await waitForStatus(page, 'Download started');
      const [file, ...more] = await waitFor(async () => {
        const d = await downloaded(driver);
        return d.length > 0 && d;
      }, 'the download');
      assert.equal(more.length, 0);
      assert.equal(file.name, 'tiktok-access-token.json');
      assert.equal(file.type, 'application/json');
      const json = JSON.parse(file.text);
      assert.equal(json.access_token, token);
      assert.deepEqual(json.advertiser_ids, ['7000000000000000001', '7000000000000000002']);
      assert.equal(json.app_id, APP_ID);
      assert.ok(!file.text.includes(SECRET), 'the secret is not in the file');
      if (engine.savesDownloads) {
        // The browser saved the same bytes under that name.
        const saved = await waitFor(() => readdirSync(engine.downloads).includes(file.name) &&
          readFileSync(join(engine.downloads, file.name), 'utf8'), 'the saved file');
        assert.equal(saved, file.text);
      }
    });

    test(`${name}: the Content-Security-Policy meta is present, strict and enforced`, async () => {
      await arrive(page, site, { scenario: scenario('csp') });
      const policies = await inPage(driver, () =>
        [...document.querySelectorAll('meta[http-equiv="Content-Security-Policy" i]')].map((m) => m.content));
      assert.equal(policies.length, 1);
      const directives = Object.fromEntries(policies[0].split(';').map((d) => d.trim().split(/\s+/))
        .map(([k, ...v]) => [k, v]));
      assert.deepEqual(directives['default-src'], ["'self'"]);
      assert.deepEqual(directives['script-src'], ["'self'", "'wasm-unsafe-eval'"]);
      assert.deepEqual(directives['object-src'], ["'none'"]);
      assert.deepEqual(directives['base-uri'], ["'none'"]);
      assert.deepEqual(directives['form-action'], ["'none'"]);
      assert.deepEqual(directives['frame-src'], ["'none'"]);
      assert.ok(directives['style-src'].every((v) => v === "'self'" || /^'sha256-[A-Za-z0-9+/]+=*'$/.test(v)),
        directives['style-src'].join(' '));
      assert.deepEqual(directives['connect-src'].filter((o) => !["'self'", 'https://business-api.tiktok.com',
        'https://sandbox-ads.tiktok.com', site.url].includes(o)), [], 'connect-src names only TikTok and the stand-in');
      assert.ok(!policies[0].includes('unsafe-inline') && !/'unsafe-eval'/.test(policies[0]), policies[0]);
      // Enforced: an injected inline script and inline event handler do not run.
      const ran = await driver.executeAsyncScript(`
        const done = arguments[arguments.length - 1];
        window.__inline = 0;
        const s = document.createElement('script');
        s.textContent = 'window.__inline = 1';
        document.body.append(s);
        const img = document.createElement('img');
        img.setAttribute('onerror', 'window.__inline = 2');
        img.src = 'data:,not-an-image';
        document.body.append(img);
        setTimeout(() => done(window.__inline), 500);`);
      assert.equal(ran, 0);
    });

    test(`${name}: no horizontal scroll at 360 px wide, on every view`, async () => {
      const restore = await engine.narrowViewport(360);
      try {
        const overflow = async (view) => {
          await page.waitFor(`#view-${view} h1`);
          const m = await inPage(driver, () => ({
            inner: window.innerWidth,
            client: document.documentElement.clientWidth,
            scroll: document.documentElement.scrollWidth,
            body: document.body.scrollWidth,
          }));
          assert.ok(m.inner <= engine.narrowest, `${view}: the viewport is ${m.inner} px wide`);
          assert.ok(m.scroll <= m.client && m.body <= m.client, `${view}: content ${m.scroll} px wide in ${m.client} px`);
        };
        await driver.get(site.page);
        await overflow('start');
        const s = scenario('narrow');
        await arrive(page, site, { scenario: s });
        await overflow('callback');
        await exchangeVia(s, 'nocors');
        await page.waitFor('#curl');
        await overflow('error'); // with the long curl command
        await arrive(page, site, { scenario: s });
        await exchangeVia(s, 'ok');
        await page.waitFor('#view-result h1');
        await reveal(page);
        await overflow('result');
      } finally {
        await restore();
      }
    });
  });
}
