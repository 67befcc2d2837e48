// Answers and pasted text over 1 MiB are refused before they are parsed or copied into the wasm:
// its memory never shrinks (a 100 MB answer used to keep 385 MiB of it for good), and scanning
// an 8 MB body for echoes of the secret took seconds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, assertAuthError, usePackage, wasm } from './common.mjs';

usePackage();

const MIB = 1 << 20;
const grant = (pad) => JSON.stringify({
  code: 0, message: 'OK', request_id: 'r1', padding: 'x'.repeat(pad),
  data: { access_token: 'T0KENlimit', advertiser_ids: ['7000000000000000001'], scope: [4] },
});
const RESPONSE = new Set(['invalid_response']);

test('pasted answers over 1 MiB are refused at once, without growing the wasm memory', () => {
  // Just under the limit is read as usual.
  const fits = grant(MIB - 200);
  assert.ok(fits.length <= MIB);
  assert.equal(api.parseTokenResponse(fits).accessToken, 'T0KENlimit');
  const before = wasm.memory.buffer.byteLength;
  for (const size of [MIB + 1, 8 * MIB, 100 * MIB]) {
    const body = grant(size);
    const started = performance.now();
    assert.throws(() => api.parseTokenResponse(body), (e) => {
      assertAuthError(api, e, RESPONSE, ['T0KENlimit'], `${size} bytes`);
      assert.match(e.message, /over 1 MiB/);
      return true;
    });
    assert.ok(performance.now() - started < 50, `refusing ${size} bytes took ${performance.now() - started} ms`);
  }
  // Multi-byte text: 400 000 × "é😀" is 2.4 MB of UTF-8 in fewer than 1 Mi UTF-16 units.
  assert.throws(() => api.parseTokenResponse(`{"code":0,"x":"${'é😀'.repeat(400_000)}"}`), (e) => e.kind === 'invalid_response');
  assert.equal(wasm.memory.buffer.byteLength, before, 'the wasm memory grew');
});

test('answers over 1 MiB from the network are refused fast, error pages too, without growing the wasm memory', async () => {
  const realFetch = globalThis.fetch;
  const before = wasm.memory.buffer.byteLength;
  try {
    for (const [status, body] of [
      [200, grant(100 * MIB)],
      [500, `<html>${'S3KRETlimit '.repeat(8 * MIB / 12)}</html>`],
      [200, `not json ${'S3KRETlimit '.repeat(8 * MIB / 12)}`],
    ]) {
      globalThis.fetch = async () => new Response(body, { status });
      const started = performance.now();
      await assert.rejects(
        api.exchangeAuthCode({ appId: '1', secret: 'S3KRETlimit', authCode: 'c', apiBase: 'http://127.0.0.1:9/open_api/v1.3' }),
        (e) => { assertAuthError(api, e, RESPONSE, ['S3KRETlimit', 'T0KENlimit'], `HTTP ${status}`); return true; },
      );
      // Most of this is the platform reading the body as text.
      assert.ok(performance.now() - started < 2000, `took ${performance.now() - started} ms`);
    }
  } finally {
    globalThis.fetch = realFetch;
  }
  assert.equal(wasm.memory.buffer.byteLength, before, 'the wasm memory grew');
});

test('text under 1 Mi UTF-16 units but over 1 MiB of UTF-8 is refused before it is copied in, pasted or as an argument', async () => {
  // 1 040 000 × "€": fewer units than the limit, 3.1 MB of UTF-8 (it used to keep 5.1 MiB).
  const euros = '€'.repeat(1_040_000);
  assert.ok(euros.length < MIB);
  const before = wasm.memory.buffer.byteLength;
  const started = performance.now();
  assert.throws(() => api.parseTokenResponse(`{"code":0,"x":"${euros}"}`), (e) => {
    assertAuthError(api, e, RESPONSE, [], 'pasted');
    assert.match(e.message, /over 1 MiB/);
    return true;
  });
  assert.ok(performance.now() - started < 50, `refusing took ${performance.now() - started} ms`);
  const realFetch = globalThis.fetch;
  let fetched = 0;
  globalThis.fetch = async () => { fetched++; return new Response('{}'); };
  try {
    await assert.rejects(
      api.exchangeAuthCode({ appId: '1', secret: euros, authCode: 'c', apiBase: 'http://127.0.0.1:9/open_api/v1.3' }),
      (e) => { assertAuthError(api, e, new Set(['invalid_input']), [], 'secret'); assert.match(e.message, /secret/); return true; },
    );
    assert.throws(() => api.tokenRequestCurl({ appId: '1', secret: euros, authCode: 'c' }), (e) => e.kind === 'invalid_input');
  } finally {
    globalThis.fetch = realFetch;
  }
  assert.equal(fetched, 0);
  // Measuring takes one 16 Ki-unit slice at a time: the allocator's first arena for it (256 KiB)
  // is the most the memory grows, once; the same refusals again grow it no further.
  const measured = wasm.memory.buffer.byteLength;
  assert.ok(measured - before <= 256 * 1024, `the wasm memory grew by ${(measured - before) / 1024} KiB`);
  for (let i = 0; i < 3; i++) {
    assert.throws(() => api.parseTokenResponse(euros), (e) => e.kind === 'invalid_response');
    assert.throws(() => api.tokenRequestCurl({ appId: '1', secret: euros, authCode: 'c' }), (e) => e.kind === 'invalid_input');
  }
  assert.equal(wasm.memory.buffer.byteLength, measured, 'the wasm memory grew again');
});

test('multi-byte text is measured exactly: 1 MiB of UTF-8 is read, one byte more is refused, pairs across slices too', () => {
  for (const shift of ['', 'x']) {
    const empty = grant(0);
    const emoji = '😀'.repeat(200_000); // 800 000 bytes in 400 000 units
    const rest = MIB - Buffer.byteLength(empty) - 4 * 200_000 - shift.length;
    const body = (extra) => empty.replace('"padding":""', `"padding":"${shift}${emoji}${'x'.repeat(rest + extra)}"`);
    assert.equal(Buffer.byteLength(body(0)), MIB);
    assert.equal(api.parseTokenResponse(body(0)).accessToken, 'T0KENlimit', `exactly 1 MiB, shift ${shift.length}`);
    assert.throws(() => api.parseTokenResponse(body(1)), (e) => e.kind === 'invalid_response' && /over 1 MiB/.test(e.message));
  }
});
