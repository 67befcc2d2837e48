// "Use it in your tools" and "Check a token you already have", against the stand-in: each tab's
// clipboard text read back the way its tool reads it (Airbyte's schema, dotenv, URL), real tabs
// for the keyboard, the secret masked on screen, and the token check with its CORS fallback.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import dotenv from 'dotenv';
import {
  APP_ID, ROOT, authorizeAndExchange, browser, calls, open, openStart, patchConfig, revealedToken, site,
  useApiBase, useSite,
} from './helpers.mjs';
import { loadPackage } from '../soak/common.mjs';

// What dotenv, a shell and JSON each find hard: quotes, $, $(…), #, spaces (a ', a backslash and
// ${ are refused in the .env text, python-dotenv reads them otherwise: tests/page/exports.test.mjs).
const ODD_SECRET = 'a"b`c $(x) $HOME #x y/z';
const IDS = ['7000000000000000001', '7000000000000000002'];

useSite();

const clipboard = (page) => page.evaluate(() => navigator.clipboard.readText());

/** Selects the tool's tab and copies its text. */
async function copyFor(page, id, name) {
  await page.click(`#tab-${id}`);
  assert.equal(await page.getAttribute(`#tab-${id}`, 'aria-selected'), 'true');
  await page.click(`#copy-${id}`);
  assert.equal(await page.textContent(`#copy-${id}`), `Copy for ${name}`);
  await page.locator('#status', { hasText: `Settings for ${name} copied` }).waitFor();
  return clipboard(page);
}

test('each tool gets its complete text: OWOX, Airbyte (schema), ingestr (URL), .env (dotenv); the screen shows dots', async () => {
  const { context, page, errors } = await open(browser);
  await authorizeAndExchange(page, site, { scenario: 'tools', secret: ODD_SECRET });
  await page.locator('#tools:not([hidden])').waitFor();
  const token = await revealedToken(page);

  const owox = await copyFor(page, 'owox', 'OWOX Data Marts');
  assert.equal(owox, `Access Token: ${token}\nApp ID: ${APP_ID}\nApp Secret: ${ODD_SECRET}\nAdvertiser IDs: ${IDS.join(', ')}`);
  // When to use these fields, and where they go; OWOX's own OAuth where the deployment has its app.
  assert.match(await page.textContent('#panel-owox .help'),
    /by hand: Access Token, App ID and App Secret under its OAuth2 authentication, Advertiser IDs in its own field\. .*OAUTH_TIKTOK_ADS_APP_ID.*“Continue with TikTok”/);

  const airbyte = JSON.parse(await copyFor(page, 'airbyte', 'Airbyte'));
  const spec = JSON.parse(readFileSync(join(ROOT, 'tests/page/airbyte-tiktok-spec.json'), 'utf8'));
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  const validate = ajv.compile(spec);
  assert.ok(validate(airbyte), JSON.stringify(validate.errors));
  // Airbyte's check fails without advertiser_id (docs/tiktok.md, "Consumers"): the first by default.
  assert.deepEqual(airbyte.credentials,
    { auth_type: 'oauth2.0', app_id: APP_ID, secret: ODD_SECRET, access_token: token, advertiser_id: IDS[0] });
  assert.match(airbyte.start_date, /^\d{4}-\d{2}-\d{2}$/);
  // Two advertisers granted: the panel says Airbyte reads one per source and lets the user pick.
  assert.match(await page.textContent('#panel-airbyte'), /Airbyte reads one advertiser per source: this token was granted 2 advertisers/);
  assert.deepEqual(await page.locator('#airbyte-advertiser option').allTextContents(), IDS);
  await page.selectOption('#airbyte-advertiser', IDS[1]);
  assert.match(await page.textContent('#panel-airbyte pre'), new RegExp(`"advertiser_id": "${IDS[1]}"`));
  const second = JSON.parse(await copyFor(page, 'airbyte', 'Airbyte'));
  assert.equal(second.credentials.advertiser_id, IDS[1]);
  assert.ok(validate(second), JSON.stringify(validate.errors));

  const ingestr = new URL(await copyFor(page, 'ingestr', 'ingestr'));
  assert.equal(ingestr.protocol, 'tiktok:');
  assert.equal(ingestr.searchParams.get('access_token'), token);
  assert.equal(ingestr.searchParams.get('advertiser_ids'), IDS.join(','));

  const env = dotenv.parse(await copyFor(page, 'dotenv', '.env'));
  assert.deepEqual(env, {
    TIKTOK_APP_ID: APP_ID,
    TIKTOK_APP_SECRET: ODD_SECRET,
    TIKTOK_ACCESS_TOKEN: token,
    TIKTOK_ADVERTISER_IDS: IDS.join(','),
  });

  // On screen, every panel holds dots where the token and the secret go.
  const shown = await page.locator('#tools').evaluate((e) => e.textContent);
  assert.ok(!shown.includes(token), 'the token is on screen');
  assert.ok(!shown.includes('y\\z') && !shown.includes('$HOME'), 'the secret is on screen');
  assert.match(shown, /••••••••/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the tools are real tabs: arrow keys, Home and End, one tab stop, one panel shown', async () => {
  const { context, page } = await open(browser);
  await authorizeAndExchange(page, site, { scenario: 'tabs' });
  await page.locator('#tools:not([hidden])').waitFor();
  const state = () => page.evaluate(() => ({
    focused: document.activeElement.id,
    selected: [...document.querySelectorAll('[role=tab][aria-selected=true]')].map((t) => t.id),
    stops: [...document.querySelectorAll('[role=tab]')].filter((t) => t.tabIndex === 0).map((t) => t.id),
    panels: [...document.querySelectorAll('[role=tabpanel]')].filter((p) => !p.hidden).map((p) => p.id),
  }));
  assert.equal(await page.getAttribute('#tools [role=tablist]', 'aria-labelledby'), 'tools-heading');
  assert.deepEqual(await page.locator('[role=tab]').allTextContents(), ['OWOX Data Marts', 'Airbyte', 'ingestr', '.env']);
  await page.focus('#tab-owox');
  const expect = (id) => ({ focused: `tab-${id}`, selected: [`tab-${id}`], stops: [`tab-${id}`], panels: [`panel-${id}`] });
  assert.deepEqual(await state(), expect('owox'));
  await page.keyboard.press('ArrowRight');
  assert.deepEqual(await state(), expect('airbyte'));
  await page.keyboard.press('End');
  assert.deepEqual(await state(), expect('dotenv'));
  await page.keyboard.press('ArrowRight');
  assert.deepEqual(await state(), expect('owox'), 'wraps around');
  await page.keyboard.press('ArrowLeft');
  assert.deepEqual(await state(), expect('dotenv'));
  await page.keyboard.press('Home');
  assert.deepEqual(await state(), expect('owox'));
  // Tab leaves the list for the panel.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'panel-owox');
  assert.equal(await page.getAttribute('#panel-owox', 'aria-labelledby'), 'tab-owox');
  await context.close();
});

test('check a token you already have: the accounts with names, the tools, and revoke', async () => {
  const first = await open(browser);
  await authorizeAndExchange(first.page, site, { scenario: 'default' });
  const token = await revealedToken(first.page);
  await first.context.close();

  const { context, page, console, errors } = await open(browser);
  await openStart(page, site.page);
  await page.click('#open-check');
  await page.locator('#view-check h1').waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'check-heading');
  await page.fill('#check-token', token);
  await page.fill('#app-id', APP_ID);
  await page.fill('#check-secret', ODD_SECRET);
  await page.click('#check');
  await page.locator('#view-result h1').waitFor();
  await page.locator('#status', { hasText: 'The token can read 2 advertiser accounts.' }).waitFor();
  assert.deepEqual(await page.locator('#advertisers .name').allTextContents(), ['Demo Shop EU', 'Demo Shop US']);
  assert.equal(await revealedToken(page), token);
  assert.equal(await page.inputValue('#check-token'), '', 'the token field is emptied');
  assert.equal(await page.inputValue('#check-secret'), '', 'the secret field is emptied');
  await page.locator('#tools:not([hidden])').waitFor();
  const env = dotenv.parse(await copyFor(page, 'dotenv', '.env'));
  assert.equal(env.TIKTOK_APP_SECRET, ODD_SECRET);
  assert.equal(env.TIKTOK_ACCESS_TOKEN, token);
  assert.match(await page.textContent('#owox-check'), /cannot be shown for a token checked here/);
  // A request without credentials went first; then the real one, with the secret.
  const lookups = calls(site, 'default', 'advertiser/get');
  assert.equal(lookups.length >= 2, true);
  assert.equal(lookups.at(-2).headers['access-token'], 'probe');
  assert.equal(lookups.at(-1).headers['access-token'], token);

  await page.click('#revoke');
  await page.click('#revoke-confirm');
  await page.locator('#revoked-note:not([hidden])').waitFor();
  const [revoked] = calls(site, 'default', 'revoke_token').slice(-1);
  assert.deepEqual(JSON.parse(revoked.body), { app_id: APP_ID, secret: ODD_SECRET, access_token: token });
  assert.ok(!console.join('\n').includes('y\\z'));
  assert.deepEqual(errors, []);
  await context.close();
});

test('check a token where the browser is blocked (CORS): the package\'s curl command, and the secret never sent or logged', async () => {
  const secret = `5ecre7${Math.random().toString(16).slice(2, 12)}`;
  const { api } = await loadPackage();
  const { context, page, requests, console } = await open(browser);
  await openStart(page, site.page);
  await page.click('#open-check');
  await page.fill('#check-token', 'aabbccddeeff00112233445566778899aabbccdd');
  await page.fill('#app-id', APP_ID);
  await useApiBase(page, site.apiBase('check-cors', 'nocors'));
  // Spaces around the secret, as a paste brings them: the command trims them as the lookup does.
  await page.fill('#check-secret', `  ${secret} `);
  await page.click('#check');
  await page.locator('#check-error:not([hidden])', { hasText: 'Your browser got no answer from TikTok' }).waitFor();
  await page.locator('#check-fallback:not([hidden])').waitFor();
  await page.waitForTimeout(300);
  assert.ok(!requests.some((u) => u.includes(secret)), 'the secret went into a request URL');
  assert.ok(!console.join('\n').includes(secret), 'the secret is in the console');
  assert.ok(!(await page.textContent('#check-curl')).includes(secret), 'the command on screen shows dots');
  await page.click('#copy-check-curl');
  await page.locator('#status', { hasText: 'Command copied' }).waitFor();
  const copied = await clipboard(page);
  // Exactly the package's command (what getAdvertisers sends), not one of the page's own.
  assert.equal(copied, api.advertisersRequestCurl({
    accessToken: 'aabbccddeeff00112233445566778899aabbccdd', appId: APP_ID, secret: `  ${secret} `,
    apiBase: site.apiBase('check-cors', 'nocors'),
  }));
  assert.equal(copied,
    `curl -sS -g -X GET '${site.apiBase('check-cors', 'nocors')}/oauth2/advertiser/get/?app_id=${APP_ID}&secret=${secret}' \\\n  -H 'Access-Token: aabbccddeeff00112233445566778899aabbccdd'`);
  assert.equal(await page.textContent('#check-curl'),
    `curl -sS -g -X GET '${site.apiBase('check-cors', 'nocors')}/oauth2/advertiser/get/?app_id=${APP_ID}&secret=••••••••' \\\n  -H 'Access-Token: ••••••••'`);
  await context.close();
});

test('check a token where the probe gets no answer in time: counted as blocked, the secret never sent', async () => {
  const secret = `5ecre7${Math.random().toString(16).slice(2, 12)}`;
  const { context, page, requests, console } = await open(browser);
  await patchConfig(page, (config) => { config.timeoutMs = 1000; });
  await openStart(page, site.page);
  await page.click('#open-check');
  await page.fill('#check-token', 'aabbccddeeff00112233445566778899aabbccdd');
  await page.fill('#app-id', APP_ID);
  // The stand-in holds each request open (up to its cap) and answers nothing.
  await useApiBase(page, site.apiBase('check-hang', 'hang'));
  await page.fill('#check-secret', secret);
  await page.click('#check');
  await page.locator('#check-error:not([hidden])', { hasText: 'did not answer in time' }).waitFor();
  await page.locator('#check-fallback:not([hidden])').waitFor();
  await page.waitForTimeout(300);
  const lookups = calls(site, 'check-hang', 'advertiser/get');
  assert.deepEqual(lookups.map((r) => r.headers['access-token']), ['probe'], 'only the probe was sent');
  assert.ok(!requests.some((u) => u.includes(secret)), 'the secret went into a request URL');
  assert.ok(!console.join('\n').includes(secret), 'the secret is in the console');
  assert.ok(!(await page.textContent('#check-curl')).includes(secret), 'the command on screen shows dots');
  assert.equal(await page.isEnabled('#check'), true);
  await context.close();
});
