// Routing of the stand-in listener: the request target, the scenario and behaviour in the path,
// the portal, API and control routes.

import { APP_ID_RE, SCENARIO_RE, issueAuthCode } from './state.mjs';
import {
  logWhenDone,
  queryObject,
  readBody,
  safeDecode,
  sendEnvelope,
  sendJson,
  sendText,
  setCorsHeaders,
} from './http.mjs';
import { API_ROUTES } from './api.mjs';
import { parseBehaviour, runBehaviour } from './behaviours.mjs';
import { portalAuth, portalDecide } from './portal.mjs';

// ------------------------------------------------------------------------------ routing

export async function handleStandin(ctx, req, res) {
  // When the request's head arrived, on the wall clock (benchmarks compare it with the page's click
  // time, read in the browser with Date.now(): timeOrigin + performance.now() in a process that has
  // run for minutes drifts from the wall clock, by 225 ms once).
  const arrivedAt = Date.now();
  const target = parseTarget(req.url);
  logWhenDone(ctx, 'standin', req, res, target?.pathname ?? '(bad request target)');
  // Browsers silently resend a request whose *reused* connection closes without an answer, which
  // would turn one `drop` into two recorded requests. A fresh connection per request prevents it.
  res.setHeader('Connection', 'close');
  try {
    if (!target) return sendText(res, 400, 'text/plain; charset=utf-8', 'Bad request target\n');
    if (target.pathname === '/__standin' || target.pathname.startsWith('/__standin/')) {
      return await handleControl(ctx, req, res, target);
    }
    const base = resolveBase(target.pathname);
    const body = await readBody(req);
    if (body.aborted) return;
    ctx.store.record(base.scenario, {
      method: req.method,
      path: target.pathname,
      query: queryObject(target.searchParams),
      headers: { ...req.headers },
      body: body.text,
      behaviour: base.behaviourName,
      at: Date.now(),
      arrivedAt,
    });
    if (base.behaviour?.cors !== false) setCorsHeaders(res, req.headers.origin ?? '*', req);
    if (body.tooLarge) return sendEnvelope(res, 40002, 'Request body exceeds 1 MiB.', {}, 413);
    if (req.method === 'OPTIONS') return sendText(res, 204);
    if (!base.behaviour) {
      return sendEnvelope(res, 404, `Unknown stand-in behaviour "${base.behaviourName}".`, {}, 404);
    }
    return await dispatch(ctx, req, res, { ...base, target, body: body.text });
  } catch (error) {
    if (!res.headersSent) sendText(res, 500, 'text/plain; charset=utf-8', 'stand-in error\n');
    else res.destroy();
    ctx.log?.(`[standin] internal error: ${error?.message ?? error}`);
  }
}

/** Parses the request target without letting "//host/..." be read as another authority. */
function parseTarget(rawUrl) {
  if (!rawUrl?.startsWith('/')) return null;
  try {
    return new URL(`http://standin${rawUrl}`);
  } catch {
    return null;
  }
}

/** Splits "/s/{scenario}/{behaviour}/rest" into its parts; anything else is the default base. */
function resolveBase(pathname) {
  const match = /^\/s\/([^/]+)\/([^/]+)(\/.*)?$/.exec(pathname);
  if (match && SCENARIO_RE.test(match[1])) {
    const behaviourName = safeDecode(match[2]) ?? match[2];
    return {
      scenario: match[1],
      behaviourName,
      behaviour: parseBehaviour(behaviourName),
      basePath: `/s/${match[1]}/${match[2]}`,
      route: match[3] ?? '',
    };
  }
  return {
    scenario: 'default',
    behaviourName: 'ok',
    behaviour: parseBehaviour('ok'),
    basePath: '',
    route: pathname,
  };
}

async function dispatch(ctx, req, res, request) {
  const { route } = request;
  // `/marketing_api/auth` is the legacy portal older integrations still use (airbyte-platform
  // `TikTokMarketingOAuthFlow.kt`; docs/tiktok.md, "Legacy portal"); it behaves the same here.
  if (route === '/portal/auth' || route === '/marketing_api/auth' || route === '/portal/auth/decide') {
    if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, 'GET, HEAD');
    const params = request.target.searchParams;
    return route === '/portal/auth/decide'
      ? portalDecide(ctx, res, request, params)
      : portalAuth(ctx, res, request, params);
  }
  // Like the real gateway: ".../access_token" without the slash is simply not a route.
  const api = Object.hasOwn(API_ROUTES, route) ? API_ROUTES[route] : null;
  if (!api) return sendEnvelope(res, 404, `Not Found: ${route || '/'}`, {}, 404);
  if (req.method !== api.method) return methodNotAllowed(res, api.method);
  return runBehaviour(ctx, req, res, request, api.endpoint);
}

function methodNotAllowed(res, allow) {
  res.setHeader('Allow', allow);
  return sendEnvelope(res, 405, 'Method Not Allowed', {}, 405);
}

// ------------------------------------------------------------------------------ control endpoints

async function handleControl(ctx, req, res, target) {
  setCorsHeaders(res, '*', req);
  if (req.method === 'OPTIONS') return sendText(res, 204);
  const route = target.pathname.slice('/__standin'.length);
  const scenario = target.searchParams.get('scenario');
  if (scenario !== null && !SCENARIO_RE.test(scenario)) {
    return sendJson(res, 400, { error: 'scenario must match [A-Za-z0-9_-]{1,64}' });
  }
  const expected = { '/requests': 'GET', '/health': 'GET', '/reset': 'POST', '/issue': 'POST' }[route];
  if (!expected) return sendJson(res, 404, { error: `no control endpoint ${target.pathname}` });
  if (req.method !== expected && !(expected === 'GET' && req.method === 'HEAD')) {
    res.setHeader('Allow', expected);
    return sendJson(res, 405, { error: `use ${expected}` });
  }
  switch (route) {
    case '/health':
      return sendJson(res, 200, { ok: true });
    case '/requests':
      return sendJson(res, 200, ctx.store.records(scenario ?? 'default'));
    case '/reset':
      ctx.store.reset(scenario ?? undefined);
      return sendJson(res, 200, { ok: true });
    default: {
      const appId = target.searchParams.get('app_id') ?? '';
      if (!APP_ID_RE.test(appId)) return sendJson(res, 400, { error: 'app_id must be decimal digits' });
      const ageMs = Number(target.searchParams.get('age_ms') ?? 0) || 0;
      const authCode = issueAuthCode(ctx.store, scenario ?? 'default', appId, ageMs);
      return sendJson(res, 200, { auth_code: authCode });
    }
  }
}
