// Answers just under the 1 MiB cap, shaped to cost the most: the most ids, scope entries and
// warnings 1 MiB holds. The wasm's memory never shrinks, so what one such answer grows it by is
// kept for good: 1 MiB of `1,1,1…` (520 000 advertiser ids) used to take it from 2 to 42 MiB,
// 260 000 fractional scope ids to 99 MiB with 32 MB of warnings. Each is now read, or refused as
// `invalid_response`, within 16 MiB of growth for all of them together and 2 s each, and what is
// left out is said.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { api, usePackage, wasm } from './common.mjs';

usePackage();

const MIB = 1 << 20;
const TOKEN = 'ec3e0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b';

/** `head`, then `item` repeated (comma-separated) as often as fits under 1 MiB with `tail`. */
function fill(head, item, tail) {
  const n = Math.floor((MIB - head.length - tail.length) / (item.length + 1));
  return { body: head + Array(n).fill(item).join(',') + tail, n };
}

test('no grant under 1 MiB grows the wasm memory by more than 16 MiB or takes 2 s to read', () => {
  const before = wasm.memory.buffer.byteLength;
  const head = (field) => `{"code":0,"data":{"access_token":"${TOKEN}","${field}":[`;
  for (const [name, field, item] of [
    ['advertiser ids', 'advertiser_ids', '1'],
    ['empty scope ids', 'scope', '""'],
    ['fractional scope ids', 'scope', '1.5'],
    ['advertiser ids that are not numbers', 'advertiser_ids', '"a"'],
    ['19-digit advertiser ids', 'advertiser_ids', '"7000000000000000001"'],
    ['long fractional scope ids', 'scope', `1.${'5'.repeat(22)}`],
    ['advertiser ids that are not all digits', 'advertiser_ids', '"7000000000000000001x"'],
    ['empty objects', 'scope', '{}'],
  ]) {
    const { body, n } = fill(head(field), item, ']}}');
    assert.ok(body.length <= MIB, name);
    const started = performance.now();
    let grant;
    try {
      grant = api.parseTokenResponse(body);
    } catch (e) {
      assert.equal(e.kind, 'invalid_response', `${name}: ${e.message}`);
      assert.match(e.message, /more than 50000 values/, name);
      assert.ok(n > 50_000, `${name}: ${n} entries refused`);
    }
    const took = performance.now() - started;
    const grown = (wasm.memory.buffer.byteLength - before) / MIB;
    console.log(`${name}: ${n} entries, ${took.toFixed(0)} ms, wasm memory +${grown.toFixed(1)} MiB so far`);
    assert.ok(took < 2000, `${name}: ${took} ms`);
    assert.ok(grown <= 16, `${name}: the wasm memory grew by ${grown} MiB`);
    if (grant) {
      assert.equal(grant.accessToken, TOKEN, name);
      assert.ok(grant.advertiserIds.length + grant.scope.length <= 10_000, name);
      const said = grant.warnings.join('\n');
      assert.ok(grant.warnings.length <= 16 && said.length <= 4096, `${name}: ${grant.warnings.length} warnings`);
      assert.ok(said.includes(`has ${n} entries; only the first 10000 were read.`), `${name}: ${said}`);
    }
  }
});
