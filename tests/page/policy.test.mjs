// www/policy.js as the built page carries it (scripts/build-page.mjs writes the crate's facts in):
// its Content-Security-Policy admits TikTok's API origins, the crate's, and those config.js names.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import vm from 'node:vm';
import { ROOT } from '../soak/common.mjs';
import { headScript } from '../../scripts/build-page.mjs';
import { PRODUCTION_API_BASE, SANDBOX_API_BASE } from '../../npm/facts.js';

/** Runs the built policy.js with this config; returns its policy object and the <meta> it added. */
function runPolicy(config) {
  const added = [];
  const window = { tiktokAdsAuthConfig: config };
  vm.runInNewContext(headScript(join(ROOT, 'www/policy.js')), {
    window,
    URL,
    location: new URL('https://me.example/cb'),
    localStorage: { getItem: () => null },
    document: { createElement: () => ({}), head: { appendChild: (meta) => added.push(meta) }, documentElement: {} },
  });
  return { policy: window.tiktokAdsAuthPolicy, meta: added[0] };
}

test('the built policy.js admits the crate\'s production and sandbox origins, then config.js\'s', () => {
  const crate = [new URL(PRODUCTION_API_BASE).origin, new URL(SANDBOX_API_BASE).origin];
  const { policy, meta } = runPolicy({ environments: { relay: 'https://relay.example/open_api/v1.3' } });
  assert.deepEqual(Array.from(policy.connectOrigins), [...crate, 'https://relay.example']);
  assert.match(meta.content, new RegExp(`connect-src 'self' ${[...crate, 'https://relay.example'].join(' ')};`));
  assert.equal(policy.allows(PRODUCTION_API_BASE + '/oauth2/access_token/'), true);
  assert.equal(policy.allows('https://elsewhere.example/'), false);
  // With no config, TikTok's own stay admitted.
  assert.deepEqual(Array.from(runPolicy(undefined).policy.connectOrigins), crate);
});
