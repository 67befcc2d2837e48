// Every failure of the exchange has its own explanation, TikTok's details, and a next step;
// a CORS-blocked exchange can be finished with curl and a pasted answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  APP_ID, SECRET, arrive, assertLocalOnly, browser, calls, curlAnswer, exchange, heading, open, pasteAnswer,
  reveal, site, useApiBase, useSite,
} from './helpers.mjs';

useSite();

/** Arrives with a fresh code, exchanges it against `behaviour`, and waits for the error view. */
async function failExchange(behaviour, title, { scenario = behaviour.replace(/[^a-z0-9]/g, ''), page: given } = {}) {
  const opened = given ? null : await open(browser);
  const page = given ?? opened.page;
  const code = await arrive(page, site, { scenario });
  await useApiBase(page, site.apiBase(scenario, behaviour));
  await exchange(page);
  await heading(page).filter({ hasText: title }).waitFor();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'error-heading');
  await page.locator('#status', { hasText: title }).waitFor();
  return { ...opened, page, code, scenario, body: await page.textContent('#error-body') };
}

test('api_error: a code that was already used shows TikTok’s code, message, request id and advice', async () => {
  const scenario = 'reused';
  const opened = await open(browser);
  const code = await arrive(opened.page, site, { scenario });
  const first = await fetch(`${site.apiBase(scenario, 'ok')}/oauth2/access_token/`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ app_id: APP_ID, secret: SECRET, auth_code: code }),
  }).then((r) => r.json());
  assert.equal(first.code, 0, 'the first use succeeds');
  await useApiBase(opened.page, site.apiBase(scenario, 'ok'));
  await exchange(opened.page);
  const { page } = opened;
  await heading(page).filter({ hasText: 'TikTok refused the request' }).waitFor();
  const body = await page.textContent('#error-body');
  assert.match(body, /already used/);
  assert.match(body, /TikTok code40110/);
  assert.match(body, /The auth_code is canceled\. Please re-authorize and try again with a new auth_code\./);
  assert.match(body, /Request ID\d{14}[0-9A-F]{18}/);
  assert.match(body, /Error kindapi_error/);
  assert.ok(await page.isHidden('#fallback'));
  await opened.context.close();
});

test('http_status: a 502 is explained with its status', async () => {
  const { context, body } = await failExchange('http-502', 'TikTok’s server answered with an error');
  assert.match(body, /HTTP status502/);
  assert.match(body, /Wait a minute and try again/);
  await context.close();
});

for (const behaviour of ['nonjson', 'truncated']) {
  test(`invalid_response: a ${behaviour} answer is explained`, async () => {
    const { context, body } = await failExchange(behaviour, 'TikTok’s answer could not be read');
    assert.match(body, /Error kindinvalid_response/);
    assert.match(body, /not the JSON TikTok sends/);
    await context.close();
  });
}

test('timeout: no answer within the configured time limit', async () => {
  const { context, page } = await open(browser);
  // The deployment config sets the time limit; shorten it so the hanging stand-in trips it.
  await page.route('**/config.js', async (route) => {
    const original = await (await route.fetch()).text();
    await route.fulfill({ contentType: 'text/javascript', body: original.replace('"timeoutMs": null', '"timeoutMs": 700') });
  });
  const { body } = await failExchange('hang', 'TikTok did not answer in time', { page });
  assert.match(body, /Error kindtimeout/);
  assert.match(body, /may still have reached TikTok/);
  // The user may go back and try once more by hand; the page itself never retried.
  assert.ok(await page.isVisible('#retry'));
  assert.equal(calls(site, 'hang', 'access_token').length, 1);
  await page.click('#retry');
  await page.locator('#view-callback:not([aria-busy]) h1').waitFor();
  assert.equal(await page.inputValue('#secret'), SECRET);
  await context.close();
});

test('network: a dropped connection explains CORS and blockers, and offers the terminal fallback', async () => {
  const { context, page, body } = await failExchange('drop', 'Your browser got no answer from TikTok');
  assert.match(body, /CORS/);
  // Not only CORS: business-api.tiktok.com is on public block lists (docs/tiktok.md, "Blockers").
  assert.match(body, /content blocker, a DNS filter or a company firewall blocking business-api\.tiktok\.com/);
  assert.match(body, /try another browser or network, or allow business-api\.tiktok\.com/);
  assert.match(body, /Error kindnetwork/);
  assert.ok(await page.isVisible('#fallback'));
  assert.match(await page.textContent('#curl'), /^curl /);
  // A DNS filter or firewall stops the command on this computer too.
  assert.match(await page.textContent('#fallback-blockers'), /cannot reach business-api\.tiktok\.com either.*DNS filter or a company firewall.*another network, or allow that host/);
  await context.close();
});

test('CORS-blocked exchange finished with the curl command and the pasted answer', async () => {
  const { context, page, code, scenario, requests, errors } = await failExchange('nocors',
    'Your browser got no answer from TikTok', { scenario: 'cors' });
  assert.equal(calls(site, scenario, 'access_token').length, 0, 'the browser never sent the POST: the code is unused');

  const curl = await page.textContent('#curl');
  assert.ok(curl.includes(`${site.apiBase(scenario, 'nocors')}/oauth2/access_token/`), curl);
  assert.match(curl, /application\/json/);
  for (const value of [APP_ID, SECRET, code]) assert.ok(curl.includes(value), `curl lacks ${value}`);
  assert.match(await page.textContent('#fallback .notice.warn'), /contains your app secret.*shell history/);
  await page.click('#copy-curl');
  await page.locator('#status', { hasText: 'Command copied' }).waitFor();
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), curl);

  // A bad paste is explained in place.
  await pasteAnswer(page, 'Not JSON at all');
  await page.locator('#paste-error:not([hidden])', { hasText: 'TikTok’s answer could not be read' }).waitFor();
  assert.ok(await page.isVisible('#fallback'));

  // What the terminal would print: the same request, sent outside the browser.
  const answer = await curlAnswer(site, scenario, code);
  await pasteAnswer(page, answer);
  await page.locator('#view-result h1').waitFor();
  assert.equal(await reveal(page), JSON.parse(answer).data.access_token);
  assert.deepEqual(await page.locator('#advertisers .id').allTextContents(), ['7000000000000000001', '7000000000000000002']);
  assert.equal(await page.textContent('#request-id'), JSON.parse(answer).request_id);
  // Advertiser names need the API too, which CORS blocks: no lookup (its URL carries the secret),
  // said quietly, with the command that does it in a terminal.
  await page.locator('#advertisers-note', { hasText: 'were not looked up' }).waitFor();
  assert.match(await page.textContent('#names-curl'), /^curl -sS -g -X GET '.*\/oauth2\/advertiser\/get\/\?app_id=7000000000000000001&secret=••••••••' \\\n  -H 'Access-Token: ••••••••'$/);
  assert.equal(calls(site, scenario, 'advertiser/get').length, 0);
  assert.ok(await page.isVisible('#view-result'));
  assert.equal(await page.inputValue('#pasted'), '');
  assert.equal(await page.textContent('#curl'), '');
  assertLocalOnly(requests);
  assert.deepEqual(errors, []);
  await context.close();
});

test('TikTok text containing HTML is shown literally and never runs', async () => {
  const { context, page, body } = await failExchange('html', 'TikTok refused the request');
  assert.ok(body.includes('<img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>'), body);
  assert.equal(await page.locator('#error-body img, #error-body script').count(), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  await context.close();
});

test('invalid_input: an empty secret is explained next to the form and nothing is sent', async () => {
  const { context, page } = await open(browser);
  await arrive(page, site, { scenario: 'nosecret' });
  await useApiBase(page, site.apiBase('nosecret', 'ok'));
  await exchange(page, '');
  await page.locator('#exchange-error:not([hidden])', { hasText: 'Please check what you entered' }).waitFor();
  assert.match(await page.textContent('#exchange-error'), /secret/);
  assert.ok(await page.isVisible('#exchange-form'));
  assert.equal(site.standin.records('nosecret').length, 0);
  await context.close();
});

test('when result.js cannot load, a failed exchange still shows its error, its kind and TikTok’s message', async () => {
  // The texts of the errors only a request can end in, and the terminal fallback, come with
  // result.js: without it the page still says what failed, and that the command could not load.
  const { context, page } = await open(browser);
  await page.route('**/result.js', (route) => route.abort());
  await failExchange('drop', 'Something went wrong', { scenario: 'nomodule', page });
  const body = await page.textContent('#error-body');
  assert.match(body, /Error kindnetwork/);
  assert.match(body, /Message./);
  assert.ok(await page.isHidden('#fallback'));
  assert.match(await page.textContent('#status'), /command to finish in a terminal could not be loaded/);
  await page.click('#retry');
  await page.locator('#view-callback:not([aria-busy]) h1').waitFor();
  assert.equal(await page.inputValue('#secret'), SECRET);
  await context.close();
});
