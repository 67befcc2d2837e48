// The deployment's settings (config.js) and the user's (environment, custom API base, App ID),
// shared by the start, callback and check views. Storage is optional, may throw (privacy modes),
// and never holds a code, a secret or a token. It imports nothing of the views.
import { normalizeApiBase } from '../pkg/tiktok_ads_auth.js';
import { $ } from './dom.js';
import { flow } from './flow.js';

export const config = window.tiktokAdsAuthConfig || {};
const policy = window.tiktokAdsAuthPolicy;
const SETTINGS_KEY = 'tiktok-ads-auth:settings'; // non-secret only: environment, custom API base, App ID

export function saveSettings() {
  const s = { environment: $('environment').value, appId: $('app-id').value.trim() };
  // Only a base the package accepted: policy.js turns the remembered one into a CSP origin.
  try {
    const custom = $('custom-base').value.trim();
    if (custom) s.customApiBase = normalizeApiBase(custom);
  } catch { /* refused: not remembered */ }
  try { localStorage.setItem(SETTINGS_KEY, JSON.stringify(s)); } catch { /* not remembered */ }
}

// Validates the custom API base with the package; returns it, or null when unusable yet.
// An empty field is only reported when the base is about to be used.
export function checkCustomBase(reportEmpty = false) {
  const input = $('custom-base');
  const error = $('custom-base-error');
  $('custom-reload').hidden = true;
  error.hidden = true;
  input.removeAttribute('aria-invalid');
  const raw = input.value.trim();
  if (!raw && !reportEmpty) return null;
  let base;
  try {
    base = normalizeApiBase(raw);
  } catch (e) {
    error.textContent = e.message;
    error.hidden = false;
    input.setAttribute('aria-invalid', 'true');
    return null;
  }
  input.value = base;
  if (!policy.allows(base)) {
    // A <meta> CSP cannot be loosened: a new origin needs a reload (app.js, reloadForPolicy).
    const button = $('apply-base');
    button.textContent = flow.view === 'callback' && $('secret').value
      ? 'Reload the page to allow this address (you will type the secret again: it is never stored)'
      : 'Reload the page to allow this address';
    $('custom-reload').hidden = false;
    return null;
  }
  saveSettings();
  return base;
}

/**
 * The API base to call, or null (with the reason shown at the field) when there is none to call
 * yet: an invalid custom base, or a new origin that needs a reload. (A base the package refuses
 * for these calls, such as TikTok's sandbox, is its error to report.)
 */
export function apiBase() {
  const env = $('environment').value;
  const base = env === 'custom' ? checkCustomBase(true) : config.environments[env];
  if (base === null) {
    if ($('custom-reload').hidden) $('custom-base').focus();
    else $('apply-base').focus();
    return null;
  }
  return base;
}
