// One failure convention in every build script (scripts/args.mjs): a library function throws a
// BuildError with the reason and never exits or prints; as a command, the script turns anything
// thrown into one line `NAME: reason` on stderr and exit status 1. -h/--help is usage and status 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BuildError } from '../../scripts/args.mjs';
import { buildNpm, cargoPackage, consumerTypes } from '../../scripts/build-npm.mjs';
import { buildPageZip, zip } from '../../scripts/build-page-zip.mjs';
import { BuildPageError } from '../../scripts/build-page.mjs';

const SCRIPTS = new URL('../../scripts/', import.meta.url).pathname;
const run = (script, ...args) => spawnSync(process.execPath, [join(SCRIPTS, script), ...args], { encoding: 'utf8', timeout: 60_000 });

test('the library functions throw a BuildError with the reason instead of exiting', () => {
  // Each of these used to print and call process.exit(1), ending whatever process imported them.
  assert.throws(() => cargoPackage('[dependencies]\n'), (e) => e instanceof BuildError && e.message === 'Cargo.toml has no [package] section');
  assert.throws(() => consumerTypes('export function a(): void;\n', ['a']), (e) => e instanceof BuildError && /has no "export type InitInput"/.test(e.message));
  const dir = mkdtempSync(join(tmpdir(), 'build-commands-test-'));
  try {
    assert.throws(() => buildNpm({ out: join(dir, 'npm'), pkg: join(dir, 'no-pkg') }),
      (e) => e instanceof BuildError && e.message.endsWith('is missing: run bash scripts/build-wasm.sh first'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  assert.throws(() => zip([{ name: '../x', data: Buffer.alloc(0) }]), (e) => e instanceof BuildError && /^zip: bad entry name/.test(e.message));
  assert.equal(BuildPageError, BuildError, 'build-page refuses with the same class');
  assert.equal(typeof buildPageZip, 'function');
});

test('each command prints one line NAME: reason on stderr and exits with status 1', () => {
  for (const [script, name] of [['build-page.mjs', 'build-page'], ['build-npm.mjs', 'build-npm'], ['build-page-zip.mjs', 'build-page-zip']]) {
    const unknown = run(script, '--bogus');
    assert.equal(unknown.status, 1, script);
    assert.equal(unknown.stderr, `${name}: unknown argument --bogus (try --help)\n`, script);
    assert.equal(unknown.stdout, '', script);
    const noValue = run(script, '--out');
    assert.equal(noValue.status, 1, script);
    assert.equal(noValue.stderr, `${name}: --out needs a value\n`, script);
    const help = run(script, '--help');
    assert.equal(help.status, 0, script);
    assert.match(help.stdout, new RegExp(`^usage: node scripts/${script.replace('.', '\\.')} `), script);
    assert.equal(help.stderr, '', script);
  }
  // A refusal from inside the build, not from the command line: the same one line.
  const dir = mkdtempSync(join(tmpdir(), 'build-commands-test-'));
  try {
    const missing = run('build-npm.mjs', '--out', join(dir, 'npm'), '--pkg', join(dir, 'no-pkg'));
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /^build-npm: \S+no-pkg\/tiktok_ads_auth\.js is missing: run bash scripts\/build-wasm\.sh first\n$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
