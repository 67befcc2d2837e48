// The release workflow held honest without a network: .github/workflows/release.yml is read as
// text (each job's block, each step's lines) and checked for what a release needs: the tag
// trigger, the version check before the build, one build whose artifact every publishing job
// takes, npm's provenance and its id-token permission, the secrets each publisher uses, the
// Worker only with its secrets, and every script and path it names existing. The version check
// itself (scripts/release-check.mjs) is exercised here, and the crate's file list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BuildError } from '../../scripts/args.mjs';
import { releaseCheck } from '../../scripts/release-check.mjs';

const ROOT = new URL('../..', import.meta.url).pathname;
const read = (path) => readFileSync(join(ROOT, path), 'utf8');
const RELEASE = read('.github/workflows/release.yml');
const TEST = read('.github/workflows/test.yml');

/** The workflow's jobs: { name: text of its block }, from the two-space keys under `jobs:`. */
function jobs(workflow) {
  const body = workflow.slice(workflow.search(/^jobs:\n/m));
  const out = {};
  for (const m of body.matchAll(/^ {2}([\w-]+):\n((?: {4,}.*\n|\s*\n)*)/gm)) out[m[1]] = m[2];
  return out;
}

/** A job's steps, each the text from its `- ` to the next, in order. */
const steps = (job) => job.split(/^ {6}- /m).slice(1);

/** The commands of a job's `run:` steps, folded (`>-`) and literal (`|`) blocks joined into one line each. */
function runs(job) {
  return steps(job).flatMap((step) => {
    const m = step.match(/^(?:\s*if: .*\n)?\s*run: ?(.*)\n((?: {10,}.*\n?)*)/m);
    if (!m) return [];
    const [, head, block] = m;
    const lines = block.split('\n').map((l) => l.trim()).filter(Boolean);
    return /^[>|]-?$/.test(head) ? lines : [head, ...lines];
  });
}

const JOBS = jobs(RELEASE);
const PUBLISHERS = ['npm', 'crate', 'github-release', 'worker'];

test('release.yml runs on a version tag only, with read-only default permissions', () => {
  assert.match(RELEASE, /^on:\n {2}push:\n {4}tags: \['v\*'\]\n\n/m);
  assert.doesNotMatch(RELEASE, /^ {2}(pull_request|workflow_dispatch|schedule):/m, 'only a pushed tag releases');
  assert.match(RELEASE, /^permissions:\n {2}contents: read\n/m);
  assert.deepEqual(Object.keys(JOBS).sort(), ['build', ...PUBLISHERS].sort());
});

test('one build job: the tag checked against the version before the wasm is built, the artifact uploaded', () => {
  const build = runs(JOBS.build);
  const at = (prefix) => build.findIndex((r) => r.startsWith(prefix));
  const check = at('node scripts/release-check.mjs');
  assert.ok(check >= 0, 'the version check runs');
  assert.match(build[check], /--tag "\$GITHUB_REF_NAME"/, 'on the pushed tag');
  assert.ok(check < at('bash scripts/build-wasm.sh'), 'before the build');
  // The same toolchain as the test and pages workflows: nightly with rust-src and wasm32, in rust:1-bookworm.
  const nightly = 'rustup toolchain install nightly --profile minimal --component rust-src --target wasm32-unknown-unknown';
  assert.ok(build.includes(nightly));
  for (const other of [TEST, read('.github/workflows/pages.yml')]) assert.ok(other.includes(nightly));
  assert.match(JOBS.build, /container: rust:1-bookworm/);
  for (const command of ['node tests/consumers/pack.mjs dist/release', 'node scripts/build-page-zip.mjs --out dist/release', 'cargo package --locked']) {
    assert.ok(build.includes(command), command);
  }
  assert.match(JOBS.build, /uses: actions\/upload-artifact@v4\n\s+with:\n\s+name: release\n\s+path: dist\/release\/\n/);
  for (const job of PUBLISHERS) assert.match(JOBS[job], /^ {4}needs: (build|\[build(, [\w-]+)*\])\n/m, `${job} waits for the build`);
  for (const job of ['npm', 'github-release', 'worker']) {
    assert.match(JOBS[job], /uses: actions\/download-artifact@v4\n\s+with:\n\s+name: release\n\s+path: dist\/release\n/, job);
  }
  // Only the build job builds the wasm.
  for (const job of PUBLISHERS) assert.ok(!runs(JOBS[job]).some((r) => /build-wasm|wasm-pack/.test(r)), job);
});

test('npm: the built tarball published with provenance, its id-token permission and token', () => {
  assert.match(JOBS.npm, /^ {4}permissions:\n {6}contents: read\n {6}id-token: write/m);
  assert.deepEqual(runs(JOBS.npm), ['npm publish --provenance --access public dist/release/tiktok-ads-auth-*.tgz']);
  assert.match(JOBS.npm, /NODE_AUTH_TOKEN: \$\{\{ secrets\.NPM_TOKEN \}\}/);
  assert.match(JOBS.npm, /registry-url: https:\/\/registry\.npmjs\.org/);
  // No other job may mint an OIDC token.
  assert.equal(RELEASE.match(/id-token: write/g).length, 1);
});

test('crates.io, the GitHub release and the Worker: each with its own secret, the Worker only when set', () => {
  assert.deepEqual(runs(JOBS.crate), ['cargo publish --locked']);
  assert.match(JOBS.crate, /CARGO_REGISTRY_TOKEN: \$\{\{ secrets\.CARGO_REGISTRY_TOKEN \}\}/);
  const release = runs(JOBS['github-release']).join(' ');
  assert.match(release, /^gh release create "\$GITHUB_REF_NAME" dist\/release\/tiktok-ads-auth-page-\*\.zip .*--notes-file dist\/release\/notes\.md/);
  assert.match(JOBS['github-release'], /permissions:\n {6}contents: write/);
  assert.match(JOBS['github-release'], /GITHUB_TOKEN: \$\{\{ secrets\.GITHUB_TOKEN \}\}/);
  assert.match(JOBS['github-release'], /needs: \[build, npm, crate\]/, 'announced once both registries have it');
  assert.equal(RELEASE.match(/contents: write/g).length, 1);
  const worker = JOBS.worker;
  for (const name of ['CLOUDFLARE_API_TOKEN', 'CLOUDFLARE_ACCOUNT_ID']) assert.ok(worker.includes(`${name}: \${{ secrets.${name} }}`), name);
  const set = "if: env.CLOUDFLARE_API_TOKEN != '' && env.CLOUDFLARE_ACCOUNT_ID != ''";
  const [notice, ...rest] = steps(worker);
  assert.match(notice, /if: env\.CLOUDFLARE_API_TOKEN == '' \|\| env\.CLOUDFLARE_ACCOUNT_ID == ''\n\s+run: echo "::notice::/);
  for (const step of rest) assert.ok(step.startsWith(set), `every deploying step waits for both secrets:\n${step}`);
  assert.ok(runs(worker).includes('npx --yes "wrangler@$WRANGLER_VERSION" deploy'));
  assert.ok(runs(worker).includes('cd dist/unpacked/package/worker'), "the published tarball's worker/");
  // The secrets reach only the steps or jobs that need them.
  assert.equal(RELEASE.match(/secrets\./g).length, 5);
});

test('every script and path the release and its dry run name exists, and both pin one wrangler', () => {
  const named = new Set();
  for (const text of [RELEASE, TEST, read('scripts/release-dry-run.sh')]) {
    for (const m of text.matchAll(/(?<![\w/.-])((?:scripts|tests|npm)\/[\w./-]+\.(?:mjs|sh|js|toml))/g)) named.add(m[1]);
  }
  assert.ok(named.size >= 6, [...named].join(', '));
  for (const path of named) assert.ok(existsSync(join(ROOT, path)), `${path} is named but missing`);
  assert.ok(runs(jobs(TEST).test).includes('bash scripts/release-dry-run.sh'), 'the test workflow runs the dry runs');
  const pinned = (text) => text.match(/WRANGLER_VERSION[:=] ?([\d.]+)/)[1];
  assert.equal(pinned(RELEASE), pinned(read('scripts/release-dry-run.sh')));
  const dryRun = read('scripts/release-dry-run.sh');
  for (const command of ['npm publish --dry-run', 'cargo publish --dry-run', 'deploy --dry-run']) assert.ok(dryRun.includes(command), command);
});

test('release-check: the tag must be v + Cargo.toml version, and CHANGELOG must date that version', () => {
  const cargoToml = '[package]\nname = "tiktok-ads-auth"\nversion = "1.2.3"\n';
  const changelog = '# Changelog\n\n## [Unreleased]\n\n- next\n\n## 1.2.3 — 2027-01-02\n\n### Added\n\n- a thing\n\n## 1.2.2\n\n- old\n';
  assert.deepEqual(releaseCheck('v1.2.3', { cargoToml, changelog }), { version: '1.2.3', notes: '### Added\n\n- a thing' });
  const refused = (tag, files, pattern) =>
    assert.throws(() => releaseCheck(tag, { cargoToml, changelog, ...files }), (e) => e instanceof BuildError && pattern.test(e.message), tag);
  refused('v1.2.4', {}, /the tag v1\.2\.4 is not v1\.2\.3/);
  refused('1.2.3', {}, /is not v1\.2\.3/);
  refused('v1.2.3', { changelog: '## 1.2.3 — unreleased\n\n- x\n' }, /still calls 1\.2\.3 unreleased/);
  refused('v1.2.3', { changelog: '## 1.2.30\n\n- x\n' }, /no "## 1\.2\.3" heading/);
  refused('v1.2.3', { changelog: '## [1.2.3] - 2027-01-02\n\n## 1.2.2\n' }, /section is empty/);
  assert.equal(releaseCheck('v1.2.3', { cargoToml, changelog: '## [1.2.3] - 2027-01-02\n- only\n' }).notes, '- only');
  // The repository as it is now: its tag would be v + Cargo.toml's version.
  const { version } = read('Cargo.toml').match(/^version = "(?<version>[^"]+)"/m).groups;
  assert.throws(() => releaseCheck('v0.0.0-not-this', { cargoToml: read('Cargo.toml'), changelog: read('CHANGELOG.md') }),
    new RegExp(`is not v${version.replace(/\./g, '\\.')}`));
});

test('the crate carries the Rust library and its documents, not the page, the npm package or the tests', () => {
  const files = execFileSync('cargo', ['package', '--list', '--allow-dirty', '--offline', '--quiet'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n').filter(Boolean);
  for (const file of ['Cargo.toml', 'src/lib.rs', 'README.md', 'LICENSE-MIT', 'LICENSE-APACHE', 'CHANGELOG.md']) assert.ok(files.includes(file), file);
  const srcs = read('src/lib.rs').match(/^(?:pub )?mod (\w+);/gm).map((m) => `src/${m.match(/mod (\w+);/)[1]}.rs`);
  for (const src of srcs) assert.ok(files.includes(src), src);
  for (const file of files) assert.doesNotMatch(file, /^(www|npm|tests|scripts|docs|bench|fuzz|node_modules|\.github)\//, file);
});
