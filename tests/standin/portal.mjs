// The authorization portal: the consent page, its decision and the redirect back with the code.

import { APP_ID_RE, issueAuthCode } from './state.mjs';
import { sendText } from './http.mjs';

// ------------------------------------------------------------------------------ portal

export function portalAuth(ctx, res, request, params) {
  const problem = portalProblem(params);
  if (problem) return sendPortalError(res, problem);
  if (params.get('autoapprove') === '1') return approve(ctx, res, request, params);
  const page = consentPage(request.basePath, params);
  return sendText(res, 200, 'text/html; charset=utf-8', page, PORTAL_HEADERS);
}

export function portalDecide(ctx, res, request, params) {
  const problem = portalProblem(params);
  if (problem) return sendPortalError(res, problem);
  const decision = params.get('decision');
  if (decision === 'approve') return approve(ctx, res, request, params);
  if (decision === 'deny') {
    // Assumed, not evidenced: TikTok may only show a toast and never redirect on a denial
    // (docs/tiktok.md, "Denial": no public sample). Kept so clients' `error=` handling is exercised.
    return redirect(res, withQuery(params.get('redirect_uri'), {
      error: 'access_denied',
      error_description: 'The user denied the authorization request.',
      state: params.get('state'),
    }));
  }
  return sendPortalError(res, 'decision must be "approve" or "deny".');
}

function approve(ctx, res, request, params) {
  const authCode = issueAuthCode(ctx.store, request.scenario, params.get('app_id'));
  if (request.behaviour?.codeOnly) {
    // Another TikTok flow's redirect: `code` without `auth_code`, often with `scopes=`
    // (docs/tiktok.md, "Redirect"); the parameter set and the scope names here are assumed.
    ctx.store.get(request.scenario).codes.get(authCode).otherFlow = true;
    return redirect(res, withQuery(params.get('redirect_uri'), {
      code: authCode,
      scopes: 'user.info.basic',
      state: params.get('state'),
    }));
  }
  // As TikTok sends it: `?auth_code=X&code=X&state=S`, both names with the same value (a real 2025
  // redirect: OWOX `res/tiktok_auth_code.png`; docs/tiktok.md, "Redirect").
  return redirect(res, withQuery(params.get('redirect_uri'), {
    auth_code: authCode,
    code: authCode,
    state: params.get('state'),
  }));
}

function portalProblem(params) {
  if (!APP_ID_RE.test(params.get('app_id') ?? '')) return 'app_id must be a string of decimal digits.';
  const redirectUri = params.get('redirect_uri') ?? '';
  if (!isHttpUrl(redirectUri)) return 'redirect_uri must be an absolute http:// or https:// URL.';
  return null;
}

function isHttpUrl(text) {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Appends params to a URL's query, keeping its existing query bytes and any fragment after it.
 * encodeURIComponent rather than URLSearchParams: "%20" decodes the same everywhere, "+" does not.
 */
function withQuery(target, params) {
  const url = new URL(target);
  const extra = Object.entries(params)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
  const existing = url.search.slice(1);
  url.search = existing ? `${existing}&${extra}` : extra;
  return url.href;
}

function redirect(res, location) {
  res.setHeader('Location', location);
  const link = `<a href="${escapeHtml(location)}">Continue</a>`;
  const html = `<!doctype html><title>Redirecting</title>${link}\n`;
  return sendText(res, 302, 'text/html; charset=utf-8', html, PORTAL_HEADERS);
}

// The portal pages embed nothing external; this policy makes sure of it.
const PORTAL_HEADERS = {
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
  'Cache-Control': 'no-store',
};

function sendPortalError(res, problem) {
  const page = portalPage(
    'TikTok stand-in — authorization error',
    `<h1>Cannot authorize</h1><p class="error">${escapeHtml(problem)}</p>`,
  );
  return sendText(res, 400, 'text/html; charset=utf-8', page, PORTAL_HEADERS);
}

function consentPage(basePath, params) {
  const appId = escapeHtml(params.get('app_id'));
  const redirectUri = escapeHtml(params.get('redirect_uri'));
  const hidden = ['app_id', 'state', 'redirect_uri']
    .filter((name) => params.has(name))
    .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(params.get(name))}">`)
    .join('\n      ');
  return portalPage(
    'TikTok stand-in — authorize app',
    `<h1>Authorize app</h1>
    <p>App <strong>${appId}</strong> asks for access to your advertiser accounts
      (Demo Shop EU, Demo Shop US).</p>
    <dl>
      <dt>App ID</dt><dd><code>${appId}</code></dd>
      <dt>Redirect URI</dt><dd><code>${redirectUri}</code></dd>
    </dl>
    <form method="get" action="${escapeHtml(`${basePath}/portal/auth/decide`)}">
      ${hidden}
      <button id="approve" type="submit" name="decision" value="approve">Authorize</button>
      <button id="deny" type="submit" name="decision" value="deny">Deny</button>
    </form>`,
  );
}

function portalPage(title, main) {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(title)}</title>
  <style>
    :root { color-scheme: light dark; font-family: system-ui, sans-serif; }
    body { margin: 0; padding: 2rem 1rem; }
    main { max-width: 32rem; margin: auto; }
    .notice { font-size: .85rem; padding: .4rem .6rem; border: 1px dashed currentColor; }
    dd code { word-break: break-all; }
    button { font: inherit; padding: .5rem 1.2rem; margin-right: .5rem; cursor: pointer; }
    #approve { background: #fe2c55; color: #fff; border: 0; border-radius: 4px; }
    .error { color: #d22; }
  </style>
</head>
<body>
  <main>
    <p class="notice">Local stand-in for TikTok's authorization page. Nothing here talks to TikTok.</p>
    ${main}
  </main>
</body>
</html>
`;
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
