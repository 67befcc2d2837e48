#!/usr/bin/env node
// What a release tag must agree with before anything is published (.github/workflows/release.yml):
//   node scripts/release-check.mjs --tag v0.2.0 [--notes FILE]
// The tag is `v` and Cargo.toml's version (the npm package takes its version from there), and
// CHANGELOG.md has a heading for that version that no longer says "unreleased". With --notes, that
// section's text is written to FILE, as the GitHub release's notes.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fail, runCommand } from './args.mjs';
import { cargoPackage } from './build-npm.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Checks `tag` against Cargo.toml's text and CHANGELOG.md's text; returns the version and the
 * CHANGELOG section's body (without its heading). Throws a BuildError saying what disagrees.
 */
export function releaseCheck(tag, { cargoToml, changelog }) {
  const { version } = cargoPackage(cargoToml);
  if (!version) fail('Cargo.toml has no version');
  if (tag !== 'v' + version) fail(`the tag ${tag} is not v${version}, Cargo.toml's version: bump Cargo.toml or tag v${version}`);
  const lines = changelog.split('\n');
  const escaped = version.replace(/[.+]/g, '\\$&');
  const heading = new RegExp(`^## \\[?${escaped}\\]?(?![\\w.+-])`);
  const at = lines.findIndex((line) => heading.test(line));
  if (at < 0) fail(`CHANGELOG.md has no "## ${version}" heading: move the [Unreleased] entries under one`);
  if (/unreleased/i.test(lines[at])) fail(`CHANGELOG.md still calls ${version} unreleased: "${lines[at]}"; give it the release date`);
  const end = lines.findIndex((line, i) => i > at && /^## /.test(line));
  const notes = lines.slice(at + 1, end < 0 ? lines.length : end).join('\n').trim();
  if (!notes) fail(`CHANGELOG.md's ${version} section is empty`);
  return { version, notes };
}

runCommand(import.meta, {
  name: 'release-check',
  flags: { '--tag': 'tag', '--notes': 'notes' },
  defaults: { tag: null, notes: null },
  usage: 'usage: node scripts/release-check.mjs --tag vX.Y.Z [--notes FILE]\n',
}, ({ tag, notes }) => {
  if (tag === null) fail('--tag is required (the pushed tag, e.g. v0.2.0)');
  const read = (name) => readFileSync(join(root, name), 'utf8');
  const result = releaseCheck(tag, { cargoToml: read('Cargo.toml'), changelog: read('CHANGELOG.md') });
  if (notes !== null) {
    mkdirSync(dirname(resolve(notes)), { recursive: true });
    writeFileSync(resolve(notes), result.notes + '\n');
  }
  return `release-check: ${tag} is Cargo.toml's version and CHANGELOG.md's ${result.version} section`;
});
