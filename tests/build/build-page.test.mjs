// scripts/build-page.mjs as a library throws what it refuses (a test importing it keeps running);
// as a command it still prints the reason and exits with status 1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BuildPageError, buildPage, demoConfig } from '../../scripts/build-page.mjs';

const SCRIPT = new URL('../../scripts/build-page.mjs', import.meta.url).pathname;

test('a refused stand-in URL is thrown as a BuildPageError, not a process exit', () => {
  assert.throws(() => demoConfig('ftp://127.0.0.1:1'), (e) => e instanceof BuildPageError &&
    e.message === '--standin must be an http(s) URL, got "ftp://127.0.0.1:1"');
  assert.throws(() => demoConfig('not a url'), BuildPageError);
  assert.match(demoConfig('http://127.0.0.1:9/ignored/path'), /"authBase": "http:\/\/127\.0\.0\.1:9"/);
});

test('buildPage throws before writing anything for a bad stand-in', () => {
  const out = mkdtempSync(join(tmpdir(), 'build-page-test-'));
  try {
    // (pkg/ is built by then in scripts/test.sh: otherwise the missing package is what is refused.)
    assert.throws(() => buildPage({ out: join(out, 'site'), standin: 'javascript:alert(1)' }),
      (e) => e instanceof BuildPageError && /^--standin must be an http\(s\) URL/.test(e.message));
    assert.equal(existsSync(join(out, 'site')), false);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('the command prints the reason and exits with status 1', () => {
  const run = (...args) => spawnSync(process.execPath, [SCRIPT, ...args], { encoding: 'utf8' });
  const unknown = run('--bogus');
  assert.equal(unknown.status, 1);
  assert.equal(unknown.stderr, 'build-page: unknown argument --bogus (try --help)\n');
  const noOut = run();
  assert.equal(noOut.status, 1);
  assert.equal(noOut.stderr, 'build-page: --out DIR is required\n');
  const badStandin = run('--out', join(tmpdir(), 'never-written'), '--standin', 'ftp://x');
  assert.equal(badStandin.status, 1);
  assert.equal(badStandin.stderr, 'build-page: --standin must be an http(s) URL, got "ftp://x"\n');
  assert.equal(badStandin.stdout, '');
});
