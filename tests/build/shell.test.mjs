// The shell scripts' own messages: what they print is what they say, and printing runs nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPTS = new URL('../../scripts/', import.meta.url).pathname;

test('fuzz.sh without nightly names scripts/setup.sh --fuzz and does not run it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fuzz-sh-test-'));
  try {
    // A copy of fuzz.sh next to a setup.sh that leaves a mark when run, and a rustup that fails.
    mkdirSync(join(dir, 'scripts'));
    mkdirSync(join(dir, 'bin'));
    copyFileSync(join(SCRIPTS, 'fuzz.sh'), join(dir, 'scripts', 'fuzz.sh'));
    const mark = join(dir, 'setup-ran');
    writeFileSync(join(dir, 'scripts', 'setup.sh'), `#!/bin/sh\ntouch '${mark}'\n`);
    writeFileSync(join(dir, 'bin', 'rustup'), '#!/bin/sh\nexit 1\n');
    chmodSync(join(dir, 'scripts', 'setup.sh'), 0o755);
    chmodSync(join(dir, 'bin', 'rustup'), 0o755);
    const run = spawnSync('bash', [join(dir, 'scripts', 'fuzz.sh'), '--if-available', '1'], {
      encoding: 'utf8',
      env: { HOME: dir, PATH: `${join(dir, 'bin')}:/usr/bin:/bin` },
      timeout: 30_000,
    });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /\(`scripts\/setup\.sh --fuzz` installs cargo-fuzz when nightly is there\)/);
    assert.match(run.stdout, /fuzz: skipped/);
    assert.equal(existsSync(mark), false, 'printing the message ran scripts/setup.sh');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('setup.sh --help prints its usage comment and nothing of the script', () => {
  const run = spawnSync('bash', [join(SCRIPTS, 'setup.sh'), '--help'], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(run.status, 0, run.stderr);
  const lines = run.stdout.trimEnd().split('\n');
  assert.match(lines[1], /^# Usage: scripts\/setup\.sh \[--browsers\] \[--fuzz\] \[--nodes\]$/);
  assert.match(run.stdout, /--fuzz +cargo-fuzz/);
  for (const line of lines) assert.match(line, /^#/, `not part of the usage comment: ${line}`);
  assert.doesNotMatch(run.stdout, /set -euo pipefail/);
});
