// The "Check a token you already have" view: which advertiser accounts a token can read, with the
// terminal command where the browser is blocked. app.js loads this module with import() when the
// view is opened (and after the reload a new API base needs), so the first load does not carry
// it. Loading it builds its markup. Text only: nothing here is written as HTML.
//
// It imports what it uses of the page from the modules the views share, and the advertiser
// lookup's command from result.js; a checked token is shown by app.js's showResult, which app.js
// hands it with `connect`. What app.js uses of it: connect, showCheck and reset.
import { getAdvertisers } from './api.js';
import { $, h } from './dom.js';
import { flow as currentFlow } from './flow.js';
import { advertisersCurl, MASKED_COMMAND } from './result.js';
import { apiBase as chosenApiBase, saveSettings } from './settings.js';
import { announce, copy, renderError, show } from './ui.js';

/** What this module needs of app.js: `showResult(grant, { direct })`. */
let page = null;
export function connect(views) {
  page = views;
}

const field = (id, label, ...help) => h('div', { class: 'field' },
  h('label', { for: id }, label),
  h('input', { id, type: 'password', autocomplete: 'off', spellcheck: 'false', ...(help.length ? { 'aria-describedby': id + '-help' } : {}) }),
  ...help.map((text) => h('p', { id: id + '-help', class: 'help' }, text)));

$('view-start').after(h('section', { id: 'view-check', class: 'view', hidden: true, 'aria-labelledby': 'check-heading' },
  h('h1', { id: 'check-heading', tabindex: '-1' }, 'Check a token you already have'),
  h('p', { class: 'lead' }, 'See which advertiser accounts an access token can read, revoke it, or hand it to your tools. The token and secret stay in this tab’s memory, go only to the API base below, and are never stored.'),
  h('form', { id: 'check-form', novalidate: true },
    field('check-token', 'Access token'),
    h('div', { class: 'slot' }),
    field('check-secret', 'App secret', 'TikTok asks for the app’s secret to list the accounts a token can read.'),
    h('div', { id: 'check-error', role: 'alert', hidden: true }),
    h('div', { id: 'check-fallback', hidden: true },
      h('p', {}, 'Run this command in a terminal to list the accounts instead. ' + MASKED_COMMAND),
      h('pre', { class: 'box', tabindex: '0' }, h('code', { id: 'check-curl' })),
      h('p', {}, h('button', { type: 'button', class: 'copy', id: 'copy-check-curl' }, 'Copy command'))),
    h('button', { type: 'submit', id: 'check', class: 'primary' }, 'Check the token')),
  // (app.js's "Start over" handler answers every .restart.)
  h('p', {}, h('button', { type: 'button', class: 'link restart' }, 'Start over'))));
$('check-form').addEventListener('submit', (event) => {
  event.preventDefault();
  checkToken();
});
$('copy-check-curl').addEventListener('click', copyCheckCurl);

/** Shows the view, with the page's settings in it. */
export function showCheck() {
  $('check-form').querySelector('.slot').append($('settings'));
  $('check-error').hidden = true;
  $('check-fallback').hidden = true;
  show('check');
}

/** Start over: forgets the token, the secret and the command. */
export function reset() {
  for (const id of ['check-token', 'check-secret']) $(id).value = '';
  $('check-curl').replaceChildren();
}

/** What the check form holds now (the copy button builds its command from it). */
const checkFields = () => ({
  accessToken: $('check-token').value.trim(),
  appId: $('app-id').value.trim(),
  secret: $('check-secret').value,
});

function copyCheckCurl() {
  const box = $('check-error');
  const apiBase = chosenApiBase();
  if (apiBase === null) return;
  let command;
  try {
    command = advertisersCurl({ ...checkFields(), apiBase }, false);
  } catch (e) {
    announce(renderError(box, e, true));
    return;
  }
  copy(command, 'Command');
}

async function checkToken() {
  const flow = currentFlow;
  if (flow.checking) return;
  const box = $('check-error');
  box.hidden = true;
  $('check-fallback').hidden = true;
  const apiBase = chosenApiBase();
  if (apiBase === null) return;
  saveSettings();
  const fields = checkFields();
  flow.checking = true;
  const button = $('check');
  button.disabled = true;
  button.textContent = 'Checking…';
  announce('Asking TikTok which accounts the token can read…');
  const ask = (accessToken, secret) => getAdvertisers({ ...fields, accessToken, secret, apiBase });
  let blocked = false;
  try {
    // TikTok wants the secret in advertiser/get's URL, and a browser prints the URL of a request
    // it blocked (CORS) to its console. So a request without credentials goes first: only an HTTP
    // answer shows the API lets this page in; a network error or no answer in time (a request
    // the browser may yet block) sends the user to the terminal instead.
    try {
      await ask('probe', 'probe');
    } catch (e) {
      blocked = e.kind === 'network' || e.kind === 'timeout';
      if (blocked || e.kind === 'invalid_input') throw e;
    }
    if (currentFlow !== flow) return;
    const advertisers = await ask(fields.accessToken, fields.secret);
    if (currentFlow !== flow) return;
    $('check-token').value = '';
    $('check-secret').value = '';
    Object.assign(flow, { appId: fields.appId, secret: fields.secret, apiBase });
    page.showResult({
      accessToken: fields.accessToken,
      advertiserIds: advertisers.map((a) => a.advertiserId),
      names: new Map(advertisers.map((a) => [a.advertiserId, a.advertiserName])),
      scope: null, // advertiser/get does not say which permissions the token has
      warnings: [],
      requestId: null,
    }, { direct: true });
  } catch (e) {
    if (currentFlow !== flow) return;
    announce(renderError(box, e, true));
    if (e.kind === 'network' || blocked) {
      $('check-curl').textContent = advertisersCurl({ ...fields, apiBase }, true);
      $('check-fallback').hidden = false;
    }
  } finally {
    flow.checking = false;
    button.disabled = false;
    button.textContent = 'Check the token';
  }
}
