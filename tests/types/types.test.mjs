// The package's TypeScript declarations, as a consumer gets them from the packed tarball:
// consumer.ts must pass `tsc --noEmit --strict` (Node and bundler resolution, no DOM or Node
// types), and wrong-options.ts must fail with exactly its three misspelt option names.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ROOT, installConsumer, packPackage } from '../consumers/pack.mjs';

const run = promisify(execFile);
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
let pack, dir;

before(() => {
  pack = packPackage();
  dir = installConsumer('types', pack);
});
after(() => pack?.cleanup());

async function tsc(...args) {
  try {
    const { stdout } = await run(process.execPath, [TSC, '--pretty', 'false', ...args], { cwd: dir, timeout: 60_000 });
    return { code: 0, output: stdout };
  } catch (e) {
    if (typeof e.code !== 'number') throw e;
    return { code: e.code, output: e.stdout + e.stderr };
  }
}

test('a consumer using every function type-checks with --strict (Node resolution)', async () => {
  const { code, output } = await tsc('-p', 'tsconfig.json');
  assert.equal(code, 0, output);
});

test('the same consumer type-checks with bundler resolution', async () => {
  const { code, output } = await tsc('-p', 'tsconfig.json', '--module', 'esnext', '--moduleResolution', 'bundler');
  assert.equal(code, 0, output);
});

test('a wrong option name fails to type', async () => {
  const { code, output } = await tsc('-p', 'tsconfig.wrong-options.json');
  assert.notEqual(code, 0, 'tsc accepted misspelt option names');
  const errors = output.split('\n').filter((l) => l.includes('error TS'));
  const expected = [
    [5, 'redirectUrl', 'AuthorizationUrlOptions'],
    [6, 'apiBse', 'ExchangeAuthCodeOptions'],
    [7, 'timeout', 'AccessTokenOptions'],
  ];
  assert.equal(errors.length, expected.length, output);
  for (const [i, [line, name, type]] of expected.entries()) {
    assert.match(errors[i], new RegExp(`^wrong-options\\.ts\\(${line},\\d+\\): error TS\\d+: .*'${name}' does not exist in type '${type}'`));
  }
});
