// The release archive (scripts/build-page-zip.mjs, built by the pages workflow): the production
// page's files at its root, read back by an independent unzip (Info-ZIP, else Python's zipfile).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cargoPackage } from '../../scripts/build-npm.mjs';
import { PAGE_FILES } from '../../npm/bin/page.mjs';

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

const PAGE = [...PAGE_FILES].sort();
const version = cargoPackage(readFileSync(join(ROOT, 'Cargo.toml'), 'utf8')).version;
let work;

before(() => {
  work = mkdtempSync(join(tmpdir(), 'tiktok-ads-auth-zip-'));
});
after(() => rmSync(work, { recursive: true, force: true }));

const has = (command) => {
  try {
    execFileSync(command, ['--help'], { stdio: 'ignore' });
    return true;
  } catch (e) {
    return e.code !== 'ENOENT';
  }
};

/** The archive's file names and contents, by an unzip that is not ours. */
function unpack(archive, into) {
  if (has('unzip')) {
    execFileSync('unzip', ['-tq', archive], { stdio: 'pipe' }); // every CRC checks out
    execFileSync('unzip', ['-q', archive, '-d', into], { stdio: 'pipe' });
    const listing = execFileSync('unzip', ['-Z1', archive]).toString().trim().split('\n').sort();
    return listing;
  }
  const script = 'import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\n' +
    'z.extractall(sys.argv[2])\nprint("\\n".join(z.namelist()))';
  return execFileSync('python3', ['-c', script, archive, into]).toString().trim().split('\n').sort();
}

test('the archive holds the production page at its root, byte for byte', (t) => {
  if (!has('unzip') && !has('python3')) return t.skip('neither unzip nor python3 to read the archive with');
  const page = join(work, 'page');
  execFileSync(process.execPath, [join(ROOT, 'scripts/build-page.mjs'), '--out', page], { stdio: 'pipe' });
  const out = join(work, 'dist');
  const printed = execFileSync(process.execPath, [join(ROOT, 'scripts/build-page-zip.mjs'), '--page', page, '--out', out]).toString();
  const archive = join(out, `tiktok-ads-auth-page-${version}.zip`);
  assert.ok(printed.includes(archive), printed);
  assert.deepEqual(readdirSync(out), [`tiktok-ads-auth-page-${version}.zip`]);

  const into = join(work, 'unpacked');
  assert.deepEqual(unpack(archive, into), PAGE);
  for (const f of PAGE) assert.ok(readFileSync(join(into, f)).equals(readFileSync(join(page, f))), f);
  assert.ok(!readFileSync(join(into, 'config.js'), 'utf8').includes('stand-in'), 'the production config, not the demo');
  t.diagnostic(`${archive.split('/').pop()}: ${readFileSync(archive).length} bytes`);
});

test('without --page it builds the page itself, and the same page gives the same archive', () => {
  const a = join(work, 'a');
  const b = join(work, 'b');
  for (const out of [a, b]) {
    execFileSync(process.execPath, [join(ROOT, 'scripts/build-page-zip.mjs'), '--out', out], { stdio: 'pipe' });
  }
  const name = `tiktok-ads-auth-page-${version}.zip`;
  assert.ok(readFileSync(join(a, name)).equals(readFileSync(join(b, name))), 'reproducible');
  const into = join(work, 'unpacked-self');
  assert.deepEqual(unpack(join(a, name), into), PAGE);
});
