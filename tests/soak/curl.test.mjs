// tokenRequestCurl, pasted into a real interactive bash (history expansion on) and into POSIX
// sh, with a stand-in `curl` on PATH that prints its arguments (tests/harness/paste.sh, the runner
// tests/props_exchange.rs uses too): for random values in every field it must send exactly the
// request exchangeAuthCode sends through fetch — method, URL, header and JSON body byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT, api, hostileString, random, standin, usePackage } from './common.mjs';

const CASES = Number(process.env.SOAK_CURL_CASES || 300);
const SEED = Number(process.env.SOAK_SEED || Math.floor(Math.random() * 2 ** 31));
const PASTE = join(ROOT, 'tests/harness/paste.sh');
const realFetch = globalThis.fetch;

usePackage({ standin: true });

const SHELLS = ['bash', 'sh'];

/**
 * Feeds the command to the shell on stdin, as a paste would, and returns curl's arguments;
 * fails when the command did more than call curl (a file appeared where the shell ran).
 */
function runPasted(shell, command) {
  const out = spawnSync('sh', [PASTE, shell], { input: command + '\n', encoding: 'utf8', timeout: 10_000 });
  assert.notEqual(out.status, 3, `the command did more than call curl: ${command} (${out.stderr})`);
  assert.equal(out.status, 0, `paste.sh ${shell}: ${out.stderr}`);
  const args = out.stdout.split('\0');
  assert.equal(args.pop(), '', `${shell} did not run curl to the end: ${out.stderr}`);
  return args;
}

/** Random values for every field, with the characters shells and JSON care about. */
function fields(r) {
  const text = (len) => {
    let s = '';
    while (s.length < len) s += r.chance(0.5) ? r.pick(["'", '"', '$', '`', '\\', '!', '!!', '$(touch pwned)', '`touch pwned`', ';', '&', '|', '*', '~', '#', '%', ' ', '\t', '\u2028', '\ufeff', 'é', '😀', '{', '}', '\\n', '\\u0000']) : hostileString(r);
    return s;
  };
  return {
    appId: r.pick(['', ' ', '\n']) + String(r.int(1, 1e12)) + r.pick(['', ' ', '\r\n']),
    secret: r.chance(0.2) ? r.pick(['0123456789abcdef0123456789abcdef01234567', " it's ", 'a!!b']) : text(r.int(1, 24)),
    authCode: r.chance(0.5) ? r.pick(['c0de', "it's", '$(id)', '!!', 'a"b\\c']) : text(r.int(1, 16)).replace(/\s/g, ''),
    apiBase: r.pick([
      undefined,
      'https://business-api.tiktok.com/open_api/v1.3',
      'http://127.0.0.1:9/s/x/ok/open_api/v1.3/',
      "https://relay.example/it's/$(touch pwned)/`id`/!!/a;b&c*/open_api/v1.3/",
      'https://relay.example/v[1-3]/x[a-c]/open_api/v1.3',
    ]),
  };
}

test(`tokenRequestCurl in bash and sh sends exactly what exchangeAuthCode sends (${CASES} random requests)`, async () => {
  console.log(`curl seed ${SEED} (SOAK_SEED=${SEED} reproduces this run)`);
  const r = random(SEED);
  let sent = null;
  globalThis.fetch = async (url, init) => {
    const request = new Request(url, init);
    sent = {
      method: request.method,
      url: request.url,
      headers: [...request.headers],
      body: await request.text(),
      credentials: request.credentials,
      cache: request.cache,
      referrerPolicy: request.referrerPolicy,
    };
    return new Response('{"code":0,"data":{"access_token":"t","advertiser_ids":[]}}', { status: 200 });
  };
  let accepted = 0;
  let refused = 0;
  try {
    for (let i = 0; i < CASES; i++) {
      const o = fields(r);
      let command;
      try {
        command = api.tokenRequestCurl(o);
      } catch (e) {
        assert.equal(e.kind, 'invalid_input', e.message);
        await assert.rejects(api.exchangeAuthCode(o), (x) => x.kind === 'invalid_input' && x.message === e.message);
        refused++;
        continue;
      }
      accepted++;
      sent = null;
      await api.exchangeAuthCode(o);
      assert.ok(sent, 'exchangeAuthCode sent nothing');
      // No cookies, no cache, no referrer; the only header is the content type.
      assert.deepEqual([sent.credentials, sent.cache, sent.referrerPolicy], ['omit', 'no-store', 'no-referrer']);
      assert.deepEqual(sent.headers, [['content-type', 'application/json']]);
      const body = JSON.parse(sent.body);
      assert.deepEqual(body, { app_id: o.appId.trim(), secret: o.secret.toWellFormed().replace(/^[ \t\n\r\f]+|[ \t\n\r\f]+$/g, ''), auth_code: o.authCode.toWellFormed().replace(/^[ \t\n\r\f]+|[ \t\n\r\f]+$/g, '') });
      const want = ['-sS', '-g', '-X', sent.method, sent.url, '-H', 'Content-Type: application/json', '--data-raw', sent.body];
      for (const shell of SHELLS) {
        assert.deepEqual(runPasted(shell, command), want, `${shell} ran ${command}`);
      }
    }
  } finally {
    globalThis.fetch = realFetch;
  }
  console.log(`curl: ${accepted} commands compared in bash and sh, ${refused} inputs refused as invalid_input`);
  assert.ok(accepted >= CASES / 3);
});

test('the curl command sends one request even when the API base has [1-3] in its path (real curl)', async () => {
  // Without -g, curl expands [1-3] and sends the secret and the code three times, to three paths.
  const scenario = `glob${Math.floor(Math.random() * 1e9)}`;
  const command = api.tokenRequestCurl({
    appId: '1', secret: 'S3KRETglob', authCode: 'c0de',
    apiBase: `${standin.url}/s/${scenario}[1-3]/ok/open_api/v1.3`,
  });
  // Asynchronously: the stand-in answers from this process.
  await promisify(execFile)('sh', ['-c', command], { timeout: 10_000 }).catch(() => {});
  for (const n of [1, 2, 3]) assert.deepEqual(standin.records(`${scenario}${n}`), [], `a request went to ${scenario}${n}`);
  const sent = standin.records('default').filter((r) => r.path.includes(scenario));
  assert.equal(sent.length, 1, 'exactly one request, to the literal path');
});
