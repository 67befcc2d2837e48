// The page's steps as a user takes them, written once for both browser suites: the Playwright
// suite (tests/e2e/, a Playwright `Page`) and the WebDriver suite (tests/engines/, selenium over
// Chromium, Firefox ESR and WebKitGTK). Each step takes the suite's `page` and drives it through
// a small adapter: playwright.mjs for a Playwright Page, webdriver.mjs for a WebDriver (pass
// `webdriverPage(driver)`). An adapter has goto, click, fill, select, dispatch, text, waitFor and
// waitForUrl, nothing more; a step that needs another thing (a download, a narrower window,
// BiDi, the keyboard) belongs to its suite, not here.
//
// `site` is what tests/e2e/helpers.mjs `startSite` returns: the stand-in (`site.standin`, its
// origin `site.url`, `site.apiBase(scenario, behaviour)`) serving the built page at `site.page`.
// The page's element ids the steps use (www/index.html):
//   start      #view-start, #app-id, the submit button of #start-form ("Authorize with TikTok")
//   callback   #view-callback (aria-busy until app.js runs), #secret, #exchange
//   settings   #environment, #custom-base (a custom API base points the page at a stand-in scenario)
//   result     #view-result, #token, #reveal (aria-pressed), .restart
//   error      #pasted, #read-pasted (TikTok's answer pasted from the terminal)
//   status     #status (the live region announcing each step)
// The stand-in's consent page: #approve.
import { playwrightPage } from './playwright.mjs';

export const APP_ID = '7000000000000000001';
export const SECRET = 'demo-secret-Zq9!x';
export const START_TITLE = 'Get a TikTok Marketing API access token';

/** The adapter a step drives: a Playwright Page is adapted here; an adapter is used as it is. */
export const adapt = (page) => (typeof page.waitForUrl === 'function' ? page : playwrightPage(page));

/** Waits until the shown view's heading contains `title`. */
export const waitForView = (page, title) => adapt(page).waitFor('.view:not([hidden]) h1', title);

/** Waits until #status announces `message`. */
export const waitForStatus = (page, message) => adapt(page).waitFor('#status', message);

/** Opens the page at `url` (the site's page by default) and waits for the start view. */
export async function openStart(page, url) {
  const ui = adapt(page);
  await ui.goto(url);
  await ui.waitFor('#view-start h1', START_TITLE);
}

/**
 * From the start view, fills the App ID (when given) and presses "Authorize with TikTok"; waits
 * for the stand-in's consent page (TikTok's place) and returns its URL.
 */
export async function authorize(page, site, { appId } = {}) {
  const ui = adapt(page);
  if (appId !== undefined) await ui.fill('#app-id', appId);
  await ui.waitFor('#start-form [type=submit]', 'Authorize with TikTok');
  await ui.click('#start-form [type=submit]');
  return new URL(await ui.waitForUrl((url) => url.startsWith(`${site.url}/portal/auth?`)));
}

/** On the consent page, approves; waits for the callback view, app.js running. */
export async function approve(page) {
  const ui = adapt(page);
  await ui.click('#approve');
  await ui.waitFor('#view-callback:not([aria-busy]) h1');
}

/** Opens the page as TikTok's redirect would, with a code the stand-in issued for `scenario`; returns the code. */
export async function arrive(page, site, { scenario = 'default', state = null } = {}) {
  const ui = adapt(page);
  const code = site.standin.issueCode({ appId: APP_ID, scenario });
  const query = new URLSearchParams({ auth_code: code, code });
  if (state !== null) query.set('state', state);
  await ui.goto(`${site.page}?${query}`);
  await ui.waitFor('#view-callback:not([aria-busy]) h1');
  return code;
}

/** Points the page at `base` (a stand-in scenario and behaviour) through "Custom API base". */
export async function useApiBase(page, base) {
  const ui = adapt(page);
  await ui.select('#environment', 'custom');
  await ui.fill('#custom-base', base);
  await ui.dispatch('#custom-base', 'change');
}

/** Types the secret and presses Exchange. */
export async function exchange(page, secret = SECRET) {
  const ui = adapt(page);
  await ui.fill('#secret', secret);
  await ui.click('#exchange');
}

/** Arrives with a code for `scenario`, exchanges it against `behaviour`, waits for the result view; returns the code. */
export async function authorizeAndExchange(page, site, { scenario = 'default', behaviour = 'ok', secret = SECRET } = {}) {
  const code = await arrive(page, site, { scenario });
  await useApiBase(page, site.apiBase(scenario, behaviour));
  await exchange(page, secret);
  await adapt(page).waitFor('#view-result h1');
  return code;
}

/** On the result view, reveals the access token and returns it (left revealed). */
export async function reveal(page) {
  const ui = adapt(page);
  await ui.click('#reveal');
  await ui.waitFor('#reveal[aria-pressed="true"]');
  return ui.text('#token');
}

/** The access token on the result view (revealed for a moment, then masked again). */
export async function revealedToken(page) {
  const token = await reveal(page);
  await adapt(page).click('#reveal');
  return token;
}

/** On the CORS fallback, pastes TikTok's answer (what the curl command printed) and reads it. */
export async function pasteAnswer(page, answer) {
  const ui = adapt(page);
  await ui.fill('#pasted', answer);
  await ui.click('#read-pasted');
}

/** Presses a "Start over" (`button`, the result view's by default); waits for the start view. */
export async function startOver(page, button = '#view-result .restart') {
  const ui = adapt(page);
  await ui.click(button);
  await ui.waitFor('#view-start h1');
}

/** TikTok's JSON answer to the token request for `code`, fetched as the curl fallback would. */
export async function curlAnswer(site, scenario, code, secret = SECRET) {
  const response = await fetch(`${site.apiBase(scenario, 'nocors')}/oauth2/access_token/`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ app_id: APP_ID, secret, auth_code: code }),
  });
  return response.text();
}

/** Requests the stand-in recorded for one endpoint ("access_token", "advertiser/get", "revoke_token"). */
export function calls(site, scenario, endpoint) {
  return site.standin.records(scenario).filter((r) => r.method !== 'OPTIONS' && r.path.endsWith(`/oauth2/${endpoint}/`));
}
