// The rest of the result view — advertiser names, the permissions by name and the check against
// what OWOX Data Marts reads, "Use it in your tools", the request ID, download and revoke — the
// error view's "Finish in a terminal", the callback view's hand-back and the error view's
// redirect check.
// app.js loads this module with import() while the callback view waits for the user, so none of it
// (nor the permission table and the export texts it imports) weighs on the first load. Loading it
// builds its markup. Text only: nothing here is written as HTML.
//
// It imports what it uses of the page from the modules the views share (dom.js, flow.js, ui.js,
// api.js: the one package instance); what it needs of app.js (showResult, codeUsed) app.js hands
// it with `connect` when it loads it. What app.js uses of it: connect, resultShown, fallback,
// showHandBack, showRedirectCheck, reset, FATAL; check.js also uses advertisersCurl and
// MASKED_COMMAND.
import { advertisersRequestCurl, getAdvertisers, parseTokenResponse, revokeToken } from './api.js';
import { $, el, h, plain } from './dom.js';
import { flow as currentFlow } from './flow.js';
import { addErrorTexts, announce, copy, renderError } from './ui.js';
import { owoxCheck, permissionNames } from './scopes.js';
import { TOOLS } from './exports.js';

// The host of TikTok's API and authorization page, which blockers and firewalls stop: the crate's
// fact, written in by the build (scripts/build-page.mjs, PAGE_FACTS).
const HOST = TIKTOK_FACTS.PRODUCTION_HOST;

/** What this module needs of app.js: `showResult(grant, { direct })` and `codeUsed()`. */
let page = null;
export function connect(views) {
  page = views;
}

// What each error kind that only a request to TikTok can end in means, and what to do (ui.js has
// the others, and renders these once this module is loaded): loaded before such an error is
// shown, so the first load does not carry them.
addErrorTexts({
  // docs/tiktok.md, "CORS" and "Blockers".
  network: ['Your browser got no answer from TikTok',
    'The request got no answer at all. TikTok’s API often refuses calls made directly from a web page (the browser’s CORS protection), and the browser then reports exactly this. A content blocker, a DNS filter or a company firewall blocking ' + HOST + ' (it is on public ad-block and DNS block lists) looks the same, and so does being offline. The code has most likely not been used.',
    'Finish in a terminal with the command below, or try another browser or network, or allow ' + HOST + ' in your blocker, and try again.'],
  timeout: ['TikTok did not answer in time',
    'No answer arrived within the time limit. The request may still have reached TikTok and used the code.',
    'Try once more. If TikTok then says the code was already used, start over to get a new one.'],
  http_status: ['TikTok’s server answered with an error',
    'The server answered with an HTTP error status instead of a result — usually a temporary problem at TikTok or at your relay.',
    'Wait a minute and try again. If it keeps failing, check the environment (API base) you chose.'],
  api_error: ['TikTok refused the request',
    'TikTok answered, but with an error code instead of a token.',
    'Quote the request ID below if you contact TikTok support.'],
  invalid_response: ['TikTok’s answer could not be read',
    'An answer arrived, but it is not the JSON TikTok sends: it may be cut off, or come from a different server.',
    'Check the environment (API base) you chose. The code may have been used: if trying again says so, start over.'],
});

// What app.js's fatal view says when the page cannot start, by why: loaded only then.
export const FATAL = {
  frame: 'To protect your app secret and access token, it only works when opened directly. Open it in its own browser tab.',
  webAssembly: 'This page exchanges the code inside your browser with WebAssembly, which this browser has turned off or does not support. Use a current Chrome, Edge, Firefox or Safari, or ask your administrator to allow WebAssembly. Nothing you entered has been sent anywhere.',
  wasm: 'Reload the page to try again; the authorization code, if any, is still in the address. If it keeps failing, the site is missing the pkg/ folder or blocks .wasm files.',
};

export const MASKED_COMMAND = 'It contains your access token and app secret (shown as dots here; the button copies them too) and will be saved in your shell history.';

/** The markup only this module fills: built here, so the first load does not carry it. */
function build() {
  $('result-more').append(
    h('div', { id: 'names-fallback', hidden: true },
      h('p', {}, MASKED_COMMAND),
      h('pre', { class: 'box', tabindex: '0' }, h('code', { id: 'names-curl' })),
      h('p', {}, h('button', { type: 'button', class: 'copy', id: 'copy-names-curl' }, 'Copy command'))),
    h('div', { id: 'permissions-section' },
      h('h2', {}, 'Permissions'),
      h('div', { id: 'owox-check' }),
      h('ul', { id: 'permissions', class: 'permissions' })),
    h('section', { id: 'tools', 'aria-labelledby': 'tools-heading' },
      h('h2', { id: 'tools-heading' }, 'Use it in your tools'),
      h('p', { class: 'help' }, 'Everything each tool asks for, ready to paste. The copied text holds the token and the app secret: paste it only where they belong.'),
      h('div', { id: 'tools-tabs' })));
  $('copy-names-curl').addEventListener('click', () => {
    if (currentFlow.grant) copy(namesCurl(false), 'Command');
  });

  $('result-more').after(h('dl', { class: 'facts' },
    h('dt', {}, 'Request ID'), h('dd', {}, h('code', { id: 'request-id' })),
    h('dt', {}, 'Permission ids'), h('dd', { id: 'scope' }),
    h('dt', {}, 'API base'), h('dd', {}, h('code', { id: 'result-api-base' }))));
  const actions = $('view-result').querySelector('.actions');
  actions.prepend(
    h('button', { type: 'button', id: 'download', class: 'primary' }, 'Download as JSON'),
    h('button', { type: 'button', id: 'revoke', class: 'danger' }, 'Revoke token…'));
  actions.after(h('div', { id: 'revoke-error', role: 'alert', hidden: true }),
    h('dialog', { id: 'revoke-dialog', 'aria-labelledby': 'revoke-title', 'aria-describedby': 'revoke-text' },
      h('h2', { id: 'revoke-title' }, 'Revoke this access token?'),
      h('p', { id: 'revoke-text' }, 'The token stops working at once, for every tool that uses it. You can authorize again later to get a new one.'),
      h('div', { class: 'actions' },
        h('button', { type: 'button', id: 'revoke-cancel', autofocus: true }, 'Keep the token'),
        h('button', { type: 'button', id: 'revoke-confirm', class: 'danger' }, 'Revoke'))));
  $('download').addEventListener('click', download);
  $('revoke').addEventListener('click', () => $('revoke-dialog').showModal());
  $('revoke-cancel').addEventListener('click', () => $('revoke-dialog').close());
  $('revoke-confirm').addEventListener('click', revoke);

  // The error view's way out when the browser got no answer (see app.js's showError).
  $('error-body').after(h('div', { id: 'fallback', hidden: true },
    h('h2', {}, 'Finish in a terminal'),
    h('p', {}, 'Run this command on your computer; it sends exactly the request this page tried to send. Then paste TikTok’s answer below.'),
    // A hosted page without a relay: TikTok's API answers browsers without CORS (docs/tiktok.md, "CORS").
    h('p', { id: 'fallback-ways' }, 'To skip this step next time, let the calls go through a relay instead of your browser: run ',
      h('code', {}, 'npx tiktok-ads-auth serve'), ' on your computer and use the page it serves, or deploy the package’s Cloudflare Worker relay and build your page with ',
      h('code', {}, '--api-base'), ' set to it.'),
    // The countdown's current text; app.js's timer updates every .countdown each second.
    h('p', {}, 'Time left to use the code: ', h('strong', { class: 'countdown' }, document.querySelector('.countdown').textContent)),
    h('p', { class: 'notice warn' }, 'The command needs a macOS or Linux shell (on Windows: WSL or Git Bash). It contains your app secret and will be saved in your shell history. Run it only on your own computer and remove it from the history afterwards.'),
    h('p', { id: 'fallback-blockers' }, 'If the command cannot reach ' + HOST + ' either, a DNS filter or a company firewall is blocking it for this whole computer (a relay on it too): run the command on another network, or allow that host.'),
    h('pre', { class: 'box', tabindex: '0' }, h('code', { id: 'curl' })),
    h('p', {}, h('button', { type: 'button', class: 'copy', id: 'copy-curl' }, 'Copy command')),
    h('div', { class: 'field' },
      h('label', { for: 'pasted' }, "TikTok's JSON answer"),
      h('textarea', { id: 'pasted', rows: '5', spellcheck: 'false', autocomplete: 'off', 'aria-describedby': 'pasted-help' }),
      h('p', { id: 'pasted-help', class: 'help' }, 'Everything the command printed, starting with ', h('code', {}, '{'), '.')),
    h('div', { id: 'paste-error', role: 'alert', hidden: true }),
    h('p', {}, h('button', { type: 'button', id: 'read-pasted', class: 'primary' }, 'Show the token'))));
  $('copy-curl').addEventListener('click', () => copy($('curl').textContent, 'Command'));
  $('read-pasted').addEventListener('click', readPasted);
}
build();

/** Start over: forgets the pasted answer, the commands and the hand-back's link, and hides the hand-back and the redirect check. */
export function reset() {
  $('pasted').value = '';
  for (const id of ['curl', 'names-curl', 'hand-back-link']) $(id)?.replaceChildren();
  for (const id of ['hand-back', 'redirect-check']) if ($(id)) $(id).hidden = true;
}

/** Shows the terminal fallback with `curl`, or (null) hides it and forgets its command and answer. */
export function fallback(curl) {
  $('fallback').hidden = !curl;
  $('curl').textContent = curl || '';
  $('pasted').value = '';
  $('paste-error').hidden = true;
}

function readPasted() {
  try {
    const grant = parseTokenResponse($('pasted').value);
    fallback(null);
    page.codeUsed();
    // This browser could not reach the API: no direct calls from here (see lookUpNames).
    page.showResult(grant, { direct: false });
  } catch (e) {
    announce(renderError($('paste-error'), e, true));
  }
}

/**
 * Everything the result view adds once the grant is on screen. `direct`: whether this browser
 * reached the API itself; after the terminal fallback it did not (see lookUpNames).
 */
export function resultShown(grant, direct) {
  $('request-id').textContent = plain(grant.requestId || '—');
  $('scope').textContent = grant.scope?.length ? plain(grant.scope.join(', ')) : grant.scope ? '—' : 'not known (TikTok tells them only with a new token)';
  $('result-api-base').textContent = currentFlow.apiBase;
  $('revoke-error').hidden = true;
  $('revoke').disabled = false;
  $('names-fallback').hidden = true;
  $('tools').hidden = true;
  $('result-more').hidden = false;
  if (!grant.advertiserIds.length) $('advertisers-note').textContent = 'TikTok returned no advertiser accounts for this token: it can read no ad account. Start over, authorize again, and select at least one ad account on TikTok’s consent screen.';
  if (!grant.names) lookUpNames(grant, direct);
  showPermissions(grant.scope);
  // The secret is in these texts only while this flow still holds it in memory.
  const flow = currentFlow;
  showTools(() => (currentFlow === flow && flow.grant === grant ? {
    accessToken: grant.accessToken, appId: flow.appId, secret: flow.secret, advertiserIds: grant.advertiserIds,
  } : null));
  $('tools').hidden = false;
}

// ---- advertiser names ----

async function lookUpNames(grant, direct) {
  const note = $('advertisers-note');
  if (!grant.advertiserIds.length) return; // resultShown says what to do
  // advertiser/get carries the secret in its URL (TikTok's design), and a browser prints the URL
  // of a request it could not complete to its console: no call where it is known to be blocked.
  if (!direct) {
    let command;
    try {
      command = namesCurl(true);
    } catch (e) {
      note.textContent = 'Advertiser names are not available: ' + e.message;
      return;
    }
    note.textContent = 'Advertiser names were not looked up: this browser cannot reach TikTok’s API. To see them, run the command below in a terminal.';
    $('names-curl').textContent = command;
    $('names-fallback').hidden = false;
    return;
  }
  note.textContent = 'Looking up the advertiser names…';
  const flow = currentFlow;
  try {
    const advertisers = await getAdvertisers({
      accessToken: grant.accessToken, appId: flow.appId, secret: flow.secret,
      apiBase: flow.apiBase,
    });
    if (currentFlow !== flow || flow.grant !== grant) return;
    for (const a of advertisers) flow.names.set(a.advertiserId, a.advertiserName);
    for (const item of $('advertisers').children) {
      item.querySelector('.name').textContent = plain(flow.names.get(item.dataset.advertiserId) || '');
    }
    note.textContent = '';
  } catch (e) {
    // Non-fatal: the IDs are what tools need.
    if (currentFlow === flow && flow.grant === grant) note.textContent = plain('Advertiser names are not available: ' + e.message);
  }
}

/**
 * The advertiser/get request as a curl command, for a browser that cannot reach the API: the
 * package builds it (exactly what getAdvertisers sends) and throws what getAdvertisers would
 * refuse. The screen shows it with dots for the token and the secret (built with placeholders the
 * package keeps as they are, which then become the dots); the copy buttons copy it whole.
 */
export function advertisersCurl({ apiBase, appId, secret, accessToken }, masked) {
  if (!masked) return advertisersRequestCurl({ apiBase, appId, secret, accessToken });
  return advertisersRequestCurl({ apiBase, appId, secret: 'SECRETxDOTS', accessToken: 'TOKENxDOTS' })
    .replace('SECRETxDOTS', MASK).replace('TOKENxDOTS', MASK);
}

const namesCurl = (masked) => advertisersCurl({ ...currentFlow, accessToken: currentFlow.grant.accessToken }, masked);

// ---- download and revoke ----

export function download() {
  const { grant: g, names, appId, apiBase } = currentFlow;
  if (!g) return;
  const result = {
    access_token: g.accessToken,
    advertiser_ids: g.advertiserIds,
    advertisers: g.advertiserIds.map((id) => ({ advertiser_id: id, advertiser_name: names.get(id) || null })),
    scope: g.scope,
    warnings: g.warnings ?? [],
    request_id: g.requestId,
    app_id: appId || null,
    api_base: apiBase || null,
    obtained_at: new Date().toISOString(),
  };
  // The token goes into a blob, never into a page URL.
  const url = URL.createObjectURL(new Blob([JSON.stringify(result, null, 2) + '\n'], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = 'tiktok-access-token.json';
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  announce('Download started: keep the file as safe as a password.');
}

export async function revoke() {
  $('revoke-dialog').close();
  const flow = currentFlow;
  if (flow.revoking || !flow.grant) return;
  flow.revoking = true;
  $('revoke').disabled = true;
  $('revoke-error').hidden = true;
  announce('Revoking the token…');
  try {
    await revokeToken({
      accessToken: flow.grant.accessToken, appId: flow.appId, secret: flow.secret,
      apiBase: flow.apiBase,
    });
    if (currentFlow !== flow) return;
    $('revoked-note').hidden = false;
    $('revoked-note').focus();
    announce('The token has been revoked.');
  } catch (e) {
    if (currentFlow !== flow) return;
    $('revoke').disabled = false;
    announce('Revoking failed: ' + renderError($('revoke-error'), e, true));
  } finally {
    flow.revoking = false;
  }
}

// ---- permissions and tools ----

/** The granted permissions by name (unknown ids as their numbers) and the OWOX check. */
function showPermissions(scope) {
  const list = $('permissions');
  const check = $('owox-check');
  if (!scope) {
    list.replaceChildren();
    check.className = 'help';
    check.textContent = 'TikTok names a token’s permissions only when it issues it, so they cannot be shown for a token checked here.';
    return;
  }
  list.replaceChildren(...permissionNames(scope).map((p) => {
    const item = el('li', '', p.name === null ? 'Permission ' + p.id + ' (not in this page’s list)' : p.name);
    if (p.parentName) item.append(el('span', 'help', ' — ' + p.parentName));
    item.dataset.scopeId = p.id;
    return item;
  }));
  if (!list.children.length) list.append(el('li', '', 'None: TikTok named no permissions for this token.'));
  const result = owoxCheck(scope);
  check.replaceChildren();
  if (result.ok) {
    check.className = 'notice good';
    check.textContent = 'Ready for OWOX Data Marts: this token has every permission its TikTok Ads source reads.';
    return;
  }
  check.className = 'notice warn';
  check.append(el('p', '', 'Missing for OWOX Data Marts: ' + result.missing.map((m) => m.path.join(' › ')).join(', ') + '.'),
    el('p', '', result.advice));
}

const MASK = '••••••••';
// Stand-ins formatted in place of the token and the secret, then shown as dots: letters and
// digits only, so every format writes them unchanged, and the screen never holds the real ones.
const TOKEN_MARK = 'X7tokenX';
const SECRET_MARK = 'X7secretX';

const HELP = {
  // OWOX/owox-data-marts, packages/connectors/src/Sources/TikTokAds/Source.js: "Continue with
  // TikTok" needs the deployment's OAUTH_TIKTOK_ADS_* variables; otherwise the fields are typed in.
  owox: 'The four fields of the TikTok Ads source in OWOX Data Marts, one a line, for entering the credentials by hand: Access Token, App ID and App Secret under its OAuth2 authentication, Advertiser IDs in its own field. Where your OWOX deployment sets its own TikTok app (OAUTH_TIKTOK_ADS_APP_ID and the rest), its “Continue with TikTok” does this for you.',
  airbyte: 'The configuration of Airbyte’s TikTok Marketing source (source-tiktok-marketing), with the advertiser it reads: Airbyte’s setup check fails without one. The start date is 30 days back: change it for more history.',
  ingestr: 'The source URI for ingestr, e.g. ingestr ingest --source-uri "…".',
  dotenv: 'Variables for your own scripts, in single quotes: dotenv and a shell read every value back exactly and run nothing.',
};

/**
 * The tab list: one tab per tool, each panel with the text masked and a "Copy for <tool>" button.
 * `credentials()` gives { accessToken, appId, secret, advertiserIds } at copy time (null once the
 * flow is gone).
 */
function showTools(credentials) {
  const root = $('tools-tabs');
  const shown = credentials();
  const tablist = el('div', 'tabs');
  tablist.setAttribute('role', 'tablist');
  tablist.setAttribute('aria-labelledby', 'tools-heading');
  const tabs = [];
  const panels = [];
  for (const tool of TOOLS) {
    const tab = el('button', '', tool.name);
    tab.type = 'button';
    tab.id = 'tab-' + tool.id;
    tab.setAttribute('role', 'tab');
    tab.setAttribute('aria-controls', 'panel-' + tool.id);
    const panel = el('div', 'tabpanel');
    panel.id = 'panel-' + tool.id;
    panel.setAttribute('role', 'tabpanel');
    panel.setAttribute('aria-labelledby', tab.id);
    panel.tabIndex = 0;
    // Airbyte reads one advertiser per source (exports.js, formatAirbyte): with several, a choice.
    const pick = tool.id === 'airbyte' && shown.advertiserIds.length > 1 ? advertiserChoice(shown.advertiserIds) : null;
    const options = () => (pick ? { advertiserId: pick.select.value } : {});
    const code = el('code', '');
    const render = () => {
      try {
        code.textContent = plain(tool.format({ ...shown, accessToken: TOKEN_MARK, secret: shown.secret ? SECRET_MARK : shown.secret }, options())
          .split(TOKEN_MARK).join(MASK).split(SECRET_MARK).join(MASK));
      } catch (e) {
        code.textContent = plain(e.message);
      }
    };
    render();
    pick?.select.addEventListener('change', render);
    const button = el('button', 'copy', 'Copy for ' + tool.name);
    button.type = 'button';
    button.id = 'copy-' + tool.id;
    button.addEventListener('click', () => {
      const now = credentials();
      if (!now) return;
      let text;
      try {
        text = tool.format(now, options());
      } catch (e) {
        announce('Could not write the text for ' + tool.name + ': ' + e.message);
        return;
      }
      copy(text, 'Settings for ' + tool.name);
    });
    const pre = el('pre', 'box');
    pre.tabIndex = 0; // it scrolls (pre.box has a max-height): reachable by keyboard
    pre.append(code);
    panel.append(el('p', 'help', HELP[tool.id] || ''));
    if (pick) panel.append(pick.field);
    panel.append(pre, el('p', '', ''));
    panel.lastChild.append(button);
    tab.addEventListener('click', () => select(tab));
    tabs.push(tab);
    panels.push(panel);
    tablist.append(tab);
  }
  // Arrow keys move between tabs (and select: each panel is cheap), Home and End to the ends.
  tablist.addEventListener('keydown', (event) => {
    const at = tabs.indexOf(document.activeElement);
    if (at < 0) return;
    const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (to === undefined) return;
    event.preventDefault();
    const tab = tabs[(to + tabs.length) % tabs.length];
    select(tab);
    tab.focus();
  });
  function select(chosen) {
    tabs.forEach((tab, i) => {
      const on = tab === chosen;
      tab.setAttribute('aria-selected', String(on));
      tab.tabIndex = on ? 0 : -1; // one tab stop for the list: the selected tab
      panels[i].hidden = !on;
    });
  }
  select(tabs[0]);
  root.replaceChildren(tablist, ...panels);
  if (!shown.secret) {
    root.append(el('p', 'help', 'The app secret is no longer in this page’s memory, so the texts above leave it out: add it yourself.'));
  }
}

/** The Airbyte panel's advertiser choice: one source reads one advertiser, the first by default. */
function advertiserChoice(ids) {
  const select = h('select', { id: 'airbyte-advertiser', 'aria-describedby': 'airbyte-advertiser-help' },
    ...ids.map((id) => h('option', { value: id }, plain(id))));
  const field = h('div', { class: 'field' },
    h('label', { for: 'airbyte-advertiser' }, 'Advertiser for this Airbyte source'),
    select,
    h('p', { id: 'airbyte-advertiser-help', class: 'help' },
      'Airbyte reads one advertiser per source: this token was granted ' + ids.length +
      ' advertisers, so pick one here, and add one source for each of the others.'));
  return { select, field };
}

// ---- two people, one code; back without a code (app.js decides when; these only show) ----

/** The callback view's "Not your app? Send the code back", with `link` and when the code expires (ms). */
export function showHandBack(link, expiresAt) {
  if (!$('hand-back')) {
    $('exchange-form').after(h('section', { id: 'hand-back', class: 'handback', 'aria-labelledby': 'hand-back-heading' },
      h('h2', { id: 'hand-back-heading' }, 'Not your app? Send the code back to the person who sent you the link'),
      h('p', {}, 'You need no secret for this: send them this link, and the page turns the code into a token for them.'),
      h('div', { class: 'row' }, h('code', { id: 'hand-back-link', class: 'box' }),
        h('button', { type: 'button', class: 'copy', id: 'copy-hand-back', 'aria-label': 'Copy link with the code' }, 'Copy link')),
      h('p', { class: 'help' }, 'Valid for ', h('strong', { class: 'countdown' }, document.querySelector('.countdown').textContent),
        '. Only the app’s secret, which its owner has, turns this code into an access token to the accounts you selected; without it the code is useless. It works once and dies at ',
        h('span', { id: 'hand-back-expiry' }), ' (your time). The code sits after the ', h('code', {}, '#'),
        ', the part of a link that browsers never send to a server.')));
    $('copy-hand-back').addEventListener('click', () => copy($('hand-back-link').textContent, 'Link with the code'));
  }
  $('hand-back-link').textContent = link;
  $('hand-back-expiry').textContent = new Date(expiresAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  $('hand-back').hidden = false;
}

/**
 * The error view's note when TikTok sent no code: the redirect URL to register (`uri`), and
 * `other`, its other form ('' for none), and the blockers that can stop TikTok's own pages (docs/tiktok.md, "Redirect URLs", "Blockers").
 */
export function showRedirectCheck(uri, other) {
  if (!$('redirect-check')) {
    $('error-body').after(h('div', { id: 'redirect-check', class: 'notice warn' },
      h('p', {}, 'Came back from TikTok without a code? Check your app’s “Advertiser redirect URL” in the TikTok developer portal. Register this address:'),
      h('div', { class: 'row' }, h('code', { id: 'redirect-check-uri', class: 'box' }),
        h('button', { type: 'button', class: 'copy', id: 'copy-redirect-check', 'aria-label': 'Copy the redirect URL to register' }, 'Copy')),
      h('p', { id: 'redirect-check-both' }, 'and the same with the final ', h('code', {}, '/'), ' ', h('span', { id: 'redirect-check-slash' }), ': ',
        h('code', { id: 'redirect-check-other' }),
        '. An app takes up to 10 redirect URLs, and whether TikTok compares them character for character is not known, so both forms are safest.'),
      h('p', {}, 'A changed redirect URL can take about ten minutes to apply in the portal: wait, then start over.'),
      h('p', { id: 'redirect-check-blockers' }, 'TikTok’s authorization page did not load or work? It is on ' + HOST + ', which is on public ad-block and DNS block lists: a content blocker, a DNS filter or a company firewall may stop it. Try another browser or network, or allow that host.')));
    $('copy-redirect-check').addEventListener('click', () => copy($('redirect-check-uri').textContent, 'Redirect URL'));
  }
  $('redirect-check-uri').textContent = uri;
  $('redirect-check-other').textContent = other;
  $('redirect-check-slash').textContent = uri.endsWith('/') ? 'taken away' : 'added';
  $('redirect-check-both').hidden = !other;
  $('redirect-check').hidden = false;
}
