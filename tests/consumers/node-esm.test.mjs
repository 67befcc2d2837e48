// The packed package in a Node ES-module project: `import { exchangeAuthCode } from
// 'tiktok-ads-auth'` resolves to the `node` entry, which reads the .wasm from disk.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startStandin } from '../standin/server.mjs';
import { APP_ID, SECRET, installConsumer, packPackage } from './pack.mjs';

const run = promisify(execFile);
let pack, dir, standin;

before(async () => {
  pack = packPackage();
  dir = installConsumer('consumers/node-esm', pack);
  standin = await startStandin({ port: 0 });
});

after(async () => {
  await standin?.close();
  pack?.cleanup();
});

/** Runs `node ARGS` in the consumer project; never throws, returns the exit code and output. */
async function node(args, env = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, args, {
      cwd: dir,
      env: { ...process.env, ...env },
      timeout: 20_000,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

test('the script exchanges a code and lists the advertisers', async () => {
  const apiBase = `${standin.url}/s/node-ok/ok/open_api/v1.3`;
  const authCode = standin.issueCode({ appId: APP_ID, scenario: 'node-ok' });
  const out = await node(['main.mjs', APP_ID, authCode, apiBase], { TIKTOK_APP_SECRET: SECRET });
  assert.equal(out.code, 0, out.stderr);
  const result = JSON.parse(out.stdout);
  assert.match(result.accessToken, /^[0-9a-f]{40}$/);
  assert.deepEqual(result.advertiserIds, ['7000000000000000001', '7000000000000000002']);
  // The 19-digit permission id arrives exactly, as a string.
  assert.deepEqual(result.scope, ['4', '10', '100', '200', '210', '220', '30', '7043626160646815746']);
  assert.deepEqual(result.warnings, []);
  assert.equal(typeof result.requestId, 'string');
  assert.deepEqual(result.advertisers.map((a) => a.advertiserName), ['Demo Shop EU', 'Demo Shop US']);

  const records = standin.records('node-ok').filter((r) => r.method !== 'OPTIONS');
  assert.deepEqual(records.map((r) => `${r.method} ${r.path}`), [
    'POST /s/node-ok/ok/open_api/v1.3/oauth2/access_token/',
    'GET /s/node-ok/ok/open_api/v1.3/oauth2/advertiser/get/',
  ]);
  assert.deepEqual(JSON.parse(records[0].body), { app_id: APP_ID, secret: SECRET, auth_code: authCode });
  assert.equal(records[1].headers['access-token'], result.accessToken);
});

test('a used code fails with TikTok\'s code and hint, as a TikTokAuthError', async () => {
  const apiBase = `${standin.url}/s/node-used/ok/open_api/v1.3`;
  const authCode = standin.issueCode({ appId: APP_ID, scenario: 'node-used' });
  const first = await node(['main.mjs', APP_ID, authCode, apiBase], { TIKTOK_APP_SECRET: SECRET });
  assert.equal(first.code, 0, first.stderr);
  const again = await node(['main.mjs', APP_ID, authCode, apiBase], { TIKTOK_APP_SECRET: SECRET });
  assert.equal(again.code, 1);
  assert.equal(again.stdout, '');
  assert.match(again.stderr, /^api_error 40110: /);
  assert.match(again.stderr, /Authorize again to get a fresh code/);
  assert.match(again.stderr, /request id: \S+/);
  assert.ok(!again.stderr.includes(SECRET), 'the secret never appears in an error');
  const posts = standin.records('node-used').filter((r) => r.method === 'POST');
  assert.equal(posts.length, 2, 'one request per call, never a retry');
});

test('the same module instance serves every import', async () => {
  const out = await node(['--input-type=module', '-e', `
    const a = await import('tiktok-ads-auth');
    const b = await import('tiktok-ads-auth');
    const resolved = import.meta.resolve('tiktok-ads-auth');
    console.log(JSON.stringify({ same: a === b, entry: resolved.slice(resolved.lastIndexOf('/') + 1) }));
  `]);
  assert.equal(out.code, 0, out.stderr);
  assert.deepEqual(JSON.parse(out.stdout), { same: true, entry: 'node.js' });
});

test('without a global crypto (Node 18) a state is still generated, from node:crypto', async () => {
  writeFileSync(join(dir, 'no-global-crypto.mjs'), 'delete globalThis.crypto;\n');
  const out = await node(['--import', './no-global-crypto.mjs', '--input-type=module', '-e', `
    if (globalThis.crypto !== undefined) throw new Error('the preload did not remove crypto');
    const { authorizationUrl } = await import('tiktok-ads-auth');
    const { state } = authorizationUrl({ appId: '${APP_ID}', redirectUri: 'https://me.example/cb' });
    const { webcrypto } = await import('node:crypto');
    console.log(JSON.stringify({ state, installed: globalThis.crypto === webcrypto }));
  `]);
  assert.equal(out.code, 0, out.stderr);
  const { state, installed } = JSON.parse(out.stdout);
  assert.match(state, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(installed, true);
});

test('an existing global crypto is left alone', async () => {
  const out = await node(['--input-type=module', '-e', `
    const before = globalThis.crypto;
    await import('tiktok-ads-auth');
    console.log(globalThis.crypto === before);
  `]);
  assert.equal(out.code, 0, out.stderr);
  assert.equal(out.stdout.trim(), 'true');
});

test('CommonJS can require() it where Node loads ES modules synchronously',
  { skip: !process.features.require_module && 'this Node has no require(esm)' }, async () => {
    writeFileSync(join(dir, 'main.cjs'), `
      const { parseRedirect } = require('tiktok-ads-auth');
      console.log(JSON.stringify(parseRedirect('https://me.example/cb?auth_code=c0de&state=xyz')));
    `);
    const out = await node(['main.cjs']);
    assert.equal(out.code, 0, out.stderr);
    assert.deepEqual(JSON.parse(out.stdout), { authCode: 'c0de', state: 'xyz', codeParam: 'auth_code' });
  });
