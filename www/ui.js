// What every view does with the page: show a view, announce a step, copy a text, render an error.
// It imports the DOM helpers and the flow, nothing of the views.
import { $, el, plain } from './dom.js';
import { flow } from './flow.js';

export function show(name) {
  flow.view = name;
  $('loading').hidden = true;
  for (const v of document.querySelectorAll('.view')) v.hidden = v.id !== 'view-' + name;
  const view = $('view-' + name);
  view.removeAttribute('aria-busy'); // shown early by early.js, complete now
  // For the benchmark: the view is in place and usable (focusing below forces the first layout).
  performance.mark('tiktok-ads-auth:' + name + '-ready');
  // To the heading, unless the user is already in this view (typing in early.js's view).
  if (!view.contains(document.activeElement)) view.querySelector('h1').focus();
}

export function announce(text) {
  const status = $('status');
  status.textContent = plain(text);
  clearTimeout(announce.timer);
  announce.timer = setTimeout(() => { status.textContent = ''; }, 8000);
}

export async function copy(text, what) {
  try {
    await navigator.clipboard.writeText(text);
    announce(what + ' copied to the clipboard.');
  } catch {
    announce('Could not copy: select the text and press Ctrl+C (⌘C on a Mac).');
  }
}

// What each error kind means, and what to do. The kinds that only a request to TikTok can end in
// (network, timeout, http_status, api_error, invalid_response) come with result.js, which adds
// them (addErrorTexts) when it loads, before such an error is shown (app.js, exchange): the first
// load carries only what can go wrong before the user clicks.
const KINDS = {
  invalid_input: ['Please check what you entered',
    'Something you entered is not in the form TikTok expects.',
    'Correct it and try again.'],
  missing_auth_code: ['No authorization code in this address',
    'You arrived here without an authorization code from TikTok, so there is nothing to exchange.',
    'Start over and authorize the app with TikTok.'],
  authorization_denied: ['TikTok did not authorize the app',
    'The authorization was cancelled or refused on TikTok’s side.',
    'Start over and accept the requested permissions, or ask an admin of the advertiser account to do it.'],
  state_mismatch: ['This answer does not match the authorization started here',
    'The redirect carries a different “state” than the one this page issued, so it may not answer your request. To protect you, the code was not exchanged.',
    'Start over from this page. If you opened a link someone sent you, close it.'],
  unexpected: ['Something went wrong',
    'An unexpected error occurred in this page.',
    'Reload the page and try again.'],
};

/** More error kinds' [title, what happened, what to do]. */
export function addErrorTexts(texts) {
  Object.assign(KINDS, texts);
}

/** Shows `error` in `box` (with its title when `withTitle`), and returns the title. */
export function renderError(box, error, withTitle) {
  const kind = typeof error?.kind === 'string' && Object.hasOwn(KINDS, error.kind) ? error.kind : 'unexpected';
  const [title, what, next] = KINDS[kind];
  box.replaceChildren();
  box.className = 'error-box';
  if (withTitle) box.append(el('p', 'error-title', title));
  box.append(el('p', '', what));
  // For TikTok's known codes (and a base it refuses, such as the sandbox) the package knows the
  // specific next step.
  const hint = (kind === 'api_error' || kind === 'invalid_input') && typeof error.hint === 'string' && error.hint;
  box.append(el('p', 'next', hint || next));
  const dl = el('dl', 'facts details');
  const fact = (label, value) => {
    if (value === undefined || value === null || value === '') return;
    dl.append(el('dt', '', label), el('dd', '', String(value)));
  };
  fact('Message', error?.message);
  fact('TikTok code', error?.code);
  fact('HTTP status', error?.status);
  fact('Request ID', error?.requestId);
  // (A package error whose texts could not be loaded keeps its own kind.)
  fact('Error kind', typeof error?.kind === 'string' ? error.kind : kind);
  box.append(dl);
  box.hidden = false;
  return title;
}
