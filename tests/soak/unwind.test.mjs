// A JS exception that unwinds through the wasm skips the epilogue of every wasm frame it crosses:
// their shadow-stack space (1 MiB in all) is never given back, and after a few thousand such
// calls every call fails with "memory access out of bounds". Each hostile behaviour below runs
// thousands of times; afterwards the shadow-stack pointer is exactly where it was, and the module
// still parses a redirect and exchanges a code with the stand-in. (Hostile fetches, which only
// npm/net.js meets, are in tests/network/transport.test.mjs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertAuthError, standin, usePackage, wasm } from './common.mjs';

const GRANT_BODY = JSON.stringify({
  code: 0, message: 'OK', request_id: 'r1',
  data: { access_token: 'T0KENunwind', advertiser_ids: ['7000000000000000001'], scope: [4] },
});
const OPTIONS = { appId: '7000000000000000001', secret: 'S3KRETunwind', authCode: 'C0DEunwind', apiBase: 'http://127.0.0.1:9/open_api/v1.3' };

usePackage({ standin: true });

/**
 * The shadow-stack pointer, where the build exports a way to read it (every build that returns
 * values through memory does); a frame left behind by an unwinding exception moves it for good.
 */
const stackPointer = () => wasm.__wbindgen_add_to_stack_pointer?.(0);

/** Runs `body`, then checks that the stack is where it was and that the module still works. */
async function leavesTheModuleWorking(body) {
  const stack = stackPointer();
  const table = wasm.__wbindgen_externrefs?.length;
  await body();
  assert.equal(stackPointer(), stack, 'the shadow-stack pointer moved: an exception unwound through the wasm');
  assert.equal(wasm.__wbindgen_externrefs?.length, table, 'the externref table grew');
  const redirect = api.parseRedirect('https://me.example/cb?auth_code=c0de&state=s');
  assert.deepEqual([redirect.authCode, redirect.state], ['c0de', 's']);
  const scenario = `unwind${Math.floor(Math.random() * 1e9)}`;
  const authCode = standin.issueCode({ appId: '7000000000000000001', scenario });
  const grant = await api.exchangeAuthCode({
    appId: '7000000000000000001', secret: 'S3KRETunwind', authCode,
    apiBase: `${standin.url}/s/${scenario}/ok/open_api/v1.3`,
  });
  assert.deepEqual(grant.advertiserIds, ['7000000000000000001', '7000000000000000002']);
}

test('a throwing Function.prototype.bind changes nothing: every call is granted, and the module survives', async () => {
  const fetch = () => Promise.resolve({ status: 200, text: () => Promise.resolve(GRANT_BODY) });
  const bind = Function.prototype.bind;
  const calls = [];
  const thrown = [];
  await leavesTheModuleWorking(async () => {
    // Broken only while the calls are made: the test runner needs a working `bind` itself.
    Function.prototype.bind = function () { throw new Error('bind is broken on this page'); };
    try {
      for (let i = 0; i < 8000; i++) {
        try { calls.push(api.exchangeAuthCode({ ...OPTIONS, fetch })); } catch (e) { thrown.push(e); }
      }
    } finally {
      Function.prototype.bind = bind;
    }
    assert.equal(thrown.length, 0, `calls threw synchronously: ${thrown[0]}`);
    for (const [i, call] of calls.entries()) assert.equal((await call).accessToken, 'T0KENunwind', `call #${i}`);
  });
});

test('a throwing Error.prototype.name setter still gives TikTokAuthErrors, and the module survives', async () => {
  const name = Object.getOwnPropertyDescriptor(Error.prototype, 'name');
  const errors = [];
  await leavesTheModuleWorking(async () => {
    Object.defineProperty(Error.prototype, 'name', {
      get() { return 'Error'; },
      set() { throw new Error('name is not writable on this page'); },
      configurable: true,
    });
    try {
      for (let i = 0; i < 8000; i++) {
        try { api.parseRedirect('https://me.example/cb?state=s'); } catch (e) { errors.push(e); }
      }
    } finally {
      Object.defineProperty(Error.prototype, 'name', name);
    }
  });
  assert.equal(errors.length, 8000);
  for (const e of errors.slice(0, 10)) assertAuthError(api, e, new Set(['missing_auth_code']), [], 'parseRedirect');
  assert.ok(errors.every((e) => Object.hasOwn(e, 'name') && e.name === 'TikTokAuthError'));
});
