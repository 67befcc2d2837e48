// A host page with a polluted Object.prototype: an inherited `then` must never make a result
// thenable (awaiting it would run that `then` with the grant as `this`), and the fields Node's
// `Request` (undici) reads from the prototype when the init lacks them (`integrity`,
// `referrer`, `keepalive`, `mode`…) must never shape a request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { api, usePackage } from './common.mjs';

usePackage();

const TOKEN = 'c0ffee00aa11bb22cc33dd44ee55ff6677889900';
const BODIES = {
  exchange: { code: 0, request_id: 'r1', data: { access_token: TOKEN, advertiser_ids: ['7000000000000000001'], scope: [4] } },
  advertisers: { code: 0, data: { list: [{ advertiser_id: '7000000000000000001', advertiser_name: 'Shop' }] } },
  revoke: { code: 0, data: { advertiser_ids: ['7000000000000000001'] } },
};
const OPTIONS = { appId: '7000000000000000001', secret: 'S3KRETpolluted', apiBase: 'http://127.0.0.1:9/open_api/v1.3' };

/** Runs `body` with `Object.prototype[key]` set to `value`, always removing it again. */
async function polluted(entries, body) {
  for (const [key, value] of Object.entries(entries)) {
    Object.defineProperty(Object.prototype, key, { value, writable: true, configurable: true });
  }
  try {
    return await body();
  } finally {
    for (const key of Object.keys(entries)) delete Object.prototype[key];
  }
}

test('with Object.prototype.then polluted, every result and error is awaited as itself', async () => {
  const realFetch = globalThis.fetch;
  // A fetch whose answer is itself not thenable (an own `then: undefined`): only the package's
  // own results are under test.
  const answer = (body) => Promise.resolve(Object.defineProperty(
    { status: 200, text: () => Promise.resolve(JSON.stringify(body)) }, 'then', { value: undefined },
  ));
  const ran = [];
  const hostileThen = function (onValue) {
    ran.push(this);
    onValue('hijacked');
  };
  const got = await polluted({ then: hostileThen }, async () => {
    const results = Object.create(null); // itself never thenable
    try {
      globalThis.fetch = () => answer(BODIES.exchange);
      results.grant = await api.exchangeAuthCode({ ...OPTIONS, authCode: 'c0de' });
      globalThis.fetch = () => answer(BODIES.advertisers);
      results.advertisers = await api.getAdvertisers({ ...OPTIONS, accessToken: TOKEN });
      results.advertiser = await results.advertisers[0];
      globalThis.fetch = () => answer(BODIES.revoke);
      results.revoked = await api.revokeToken({ ...OPTIONS, accessToken: TOKEN });
      results.authorization = await api.authorizationUrl({ appId: '1', redirectUri: 'https://me.example/cb', state: 's' });
      results.redirect = await api.parseRedirect('https://me.example/cb?auth_code=c0de&state=s');
      results.parsed = await api.parseTokenResponse(JSON.stringify(BODIES.exchange));
      results.ids = await results.parsed.advertiserIds;
      // A rejected call, and a thrown error handed on by an async function.
      globalThis.fetch = () => answer({ code: 40105, message: 'Access token is invalid' });
      results.rejected = await api.getAdvertisers({ ...OPTIONS, accessToken: TOKEN }).catch((e) => e);
      results.thrown = await (async () => {
        try { api.parseRedirect('?state=x'); } catch (e) { return e; }
        return null;
      })();
      results.handedOn = await Promise.resolve(results.rejected);
    } finally {
      globalThis.fetch = realFetch;
    }
    return results;
  });
  assert.equal(ran.length, 0, `an inherited then ran with ${ran.length} result(s) as this`);
  assert.equal(got.grant.accessToken, TOKEN);
  assert.deepEqual(got.grant.advertiserIds, ['7000000000000000001']);
  assert.equal(got.advertisers[0].advertiserName, 'Shop');
  assert.equal(got.advertiser.advertiserId, '7000000000000000001');
  assert.deepEqual(got.revoked, ['7000000000000000001']);
  assert.equal(got.authorization.state, 's');
  assert.equal(got.redirect.authCode, 'c0de');
  assert.equal(got.parsed.accessToken, TOKEN);
  assert.deepEqual(got.ids, ['7000000000000000001']);
  assert.equal(got.rejected.kind, 'api_error');
  assert.equal(got.thrown.kind, 'missing_auth_code');
  assert.equal(got.handedOn, got.rejected);
  // The own `then` is invisible to keys, spreads and JSON.
  assert.deepEqual(Object.keys(got.grant), ['accessToken', 'advertiserIds', 'scope', 'requestId', 'warnings']);
  assert.ok(!JSON.stringify(got.grant).includes('then'));
});

test('with RequestInit fields on Object.prototype, Node sends exactly the package\'s request', async () => {
  const seen = [];
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method, url: req.url, headers: req.headers });
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(BODIES.exchange));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const apiBase = `http://127.0.0.1:${server.address().port}/open_api/v1.3`;
  try {
    // Each would change the request: a wrong `integrity` fails it, a `referrer` is sent as
    // `Referer`, `mode: "no-cors"` forbids the JSON content type, `keepalive` caps the body.
    const grant = await polluted({
      integrity: 'sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
      referrer: 'http://evil.example/leak',
      mode: 'no-cors',
      keepalive: true,
      priority: 'high',
    }, () => api.exchangeAuthCode({ ...OPTIONS, authCode: 'c0de', apiBase }));
    assert.equal(grant.accessToken, TOKEN);
    assert.equal(seen.length, 1);
    assert.equal(seen[0].method, 'POST');
    assert.equal(seen[0].url, '/open_api/v1.3/oauth2/access_token/');
    assert.equal(seen[0].headers.referer, undefined, 'a polluted referrer was sent');
    assert.equal(seen[0].headers['content-type'], 'application/json');
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
