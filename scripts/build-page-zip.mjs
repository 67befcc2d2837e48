#!/usr/bin/env node
// The release archive of the production page, for people who only want to upload files:
//   node scripts/build-page-zip.mjs [--page dist/www] [--out dist]
// writes dist/tiktok-ads-auth-page-<version>.zip with the page's files at its root (index.html,
// app.js, config.js, pkg/…). Without --page, the production page is built first (into a
// temporary folder). The archive is reproducible: sorted entries, one fixed timestamp
// (SOURCE_DATE_EPOCH when set), no owner or other metadata.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { cargoPackage } from './build-npm.mjs';
import { fail, runCommand } from './args.mjs';
import { buildPage } from './build-page.mjs';
import { pageFiles } from '../npm/bin/page.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** MS-DOS date and time of `date` (UTC), as zip headers store them; 1980-01-01 at the earliest. */
function dosDateTime(date) {
  if (date.getUTCFullYear() < 1980) return { time: 0, date: (1 << 5) | 1 };
  return {
    time: (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1),
    date: ((date.getUTCFullYear() - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate(),
  };
}

/**
 * A zip archive (deflate, or stored where that is smaller) of `entries`: [{ name, data }] with
 * "/"-separated relative names. Files only; unzip creates their folders.
 */
export function zip(entries, { mtime = new Date(Date.UTC(1980, 0, 1)) } = {}) {
  const { time, date } = dosDateTime(mtime);
  const locals = [];
  const central = [];
  let offset = 0;
  for (const { name, data } of [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (!name || name.startsWith('/') || name.split('/').some((s) => s === '' || s === '.' || s === '..') || name.includes('\\')) {
      fail(`zip: bad entry name ${JSON.stringify(name)}`);
    }
    const nameBytes = Buffer.from(name, 'utf8');
    const deflated = deflateRawSync(data, { level: 9 });
    const stored = deflated.length >= data.length;
    const body = stored ? data : deflated;
    const crc = crc32(data);
    const head = (signature, size) => {
      const b = Buffer.alloc(size);
      b.writeUInt32LE(signature, 0);
      return b;
    };
    const local = head(0x04034b50, 30);
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // names are UTF-8
    local.writeUInt16LE(stored ? 0 : 8, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    local.writeUInt16LE(0, 28);
    const entry = head(0x02014b50, 46);
    entry.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0 (so the mode below applies)
    local.copy(entry, 6, 4, 30); // version needed … name length, as in the local header
    entry.writeUInt16LE(0, 30); // extra field length
    entry.writeUInt16LE(0, 32); // comment length
    entry.writeUInt16LE(0, 34); // disk number
    entry.writeUInt16LE(0, 36); // internal attributes
    entry.writeUInt32LE((0o100644 << 16) >>> 0, 38); // a regular file, rw-r--r--
    entry.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, body);
    central.push(entry, nameBytes);
    offset += local.length + nameBytes.length + body.length;
  }
  const centralSize = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(offset, 16);
  if (entries.length > 0xffff || offset + centralSize > 0xffffffff) fail('zip: too large for a plain zip');
  return Buffer.concat([...locals, ...central, end]);
}

/** The archive's file name for a version. */
export const zipName = (version) => `tiktok-ads-auth-page-${version}.zip`;

/**
 * Writes the archive of the page in `page` (built now when null) into `out`; returns its path
 * and the names it holds.
 */
export function buildPageZip({ page = null, out = join(root, 'dist') } = {}) {
  const { version } = cargoPackage(readFileSync(join(root, 'Cargo.toml'), 'utf8'));
  if (!version) fail('Cargo.toml has no version');
  const temp = page === null ? mkdtempSync(join(tmpdir(), 'tiktok-ads-auth-page-')) : null;
  try {
    if (temp) buildPage({ out: temp });
    const files = pageFiles(page ?? temp);
    const entries = [...files].map(([path, file]) => ({ name: path.slice(1), data: readFileSync(file) }));
    const epoch = Number(process.env.SOURCE_DATE_EPOCH);
    const archive = zip(entries, Number.isInteger(epoch) && epoch > 0 ? { mtime: new Date(epoch * 1000) } : {});
    mkdirSync(out, { recursive: true });
    const file = join(out, zipName(version));
    writeFileSync(file, archive);
    return { file, names: entries.map((e) => e.name).sort(), bytes: archive.length };
  } finally {
    if (temp) rmSync(temp, { recursive: true, force: true });
  }
}

runCommand(import.meta, {
  name: 'build-page-zip',
  flags: { '--page': 'page', '--out': 'out' },
  defaults: { page: null, out: join(root, 'dist') },
  usage: 'usage: node scripts/build-page-zip.mjs [--page DIR] [--out DIR]\n',
}, ({ page, out }) => {
  const result = buildPageZip({ page: page === null ? null : resolve(page), out: resolve(out) });
  return `build-page-zip: wrote ${result.file} (${result.bytes} bytes: ${result.names.join(', ')})`;
});
