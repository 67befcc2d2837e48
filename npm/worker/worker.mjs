// The relay as a Cloudflare Worker, for a page on a static host: the same handler as the local
// server (../bin/relay.mjs), answering CORS for the exact origins of the required ALLOWED_ORIGINS
// setting (comma separated, e.g. "https://you.github.io"; no "*") and nobody else. Deploy with
// `npx wrangler deploy` beside wrangler.toml, then build the page with
// `npx tiktok-ads-auth build-page DIR --api-base https://<worker>.workers.dev/open_api/v1.3`.
import { createRelay } from '../bin/relay.mjs';

/** ALLOWED_ORIGINS as a list of origins, or a reason it is unusable. */
export function parseAllowedOrigins(text) {
  if (typeof text !== 'string' || !text.trim()) return { error: 'ALLOWED_ORIGINS is not set: name the page origins that may use this relay, e.g. https://you.github.io' };
  const origins = [];
  for (const item of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    let url;
    try {
      url = new URL(item);
    } catch {
      return { error: `ALLOWED_ORIGINS: ${JSON.stringify(item)} is not an origin such as https://you.github.io` };
    }
    if (item.includes('*') || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.origin !== item.replace(/\/$/, '')) {
      return { error: `ALLOWED_ORIGINS: ${JSON.stringify(item)} is not an exact origin (scheme://host[:port], no path, no "*")` };
    }
    // Plain http only for a page on this computer: anywhere else anyone on the network between
    // could serve the page that then receives the secret and the token.
    const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
    if (url.protocol === 'http:' && !(host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host))) {
      return { error: `ALLOWED_ORIGINS: ${JSON.stringify(item)} uses http:// (only https://, or http:// for localhost, 127.0.0.1 or [::1])` };
    }
    origins.push(url.origin);
  }
  return origins.length ? { origins } : { error: 'ALLOWED_ORIGINS names no origin' };
}

let cached = { key: null, handler: null };

export default {
  async fetch(request, env) {
    const key = env.ALLOWED_ORIGINS;
    if (cached.key !== key || cached.handler === null) {
      const parsed = parseAllowedOrigins(key);
      const allowed = new Set(parsed.origins ?? []);
      cached = {
        key,
        error: parsed.error ?? null,
        handler: parsed.error ? null : createRelay({
          allowOrigin: (origin) => allowed.has(origin),
          cors: true,
          // Workers logs: the call, the status, TikTok's code.
          log: (line) => console.log(line),
        }),
      };
    }
    if (cached.error) {
      // Nothing is forwarded until the relay knows whom it serves.
      console.log('relay config error');
      return new Response(`Relay configuration error: ${cached.error}.\n`, {
        status: 500,
        headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
      });
    }
    return cached.handler(request);
  },
};
