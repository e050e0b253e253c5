/** Writes the synthetic packuments for every package a workload locks, gzipped, one file each, plus an index; reused while its inputs are unchanged. */

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { packumentPieces, planPackument, SYNTH_VERSION } from './synth.mjs';

/**
 * @typedef {{ file: string, etag: string, bytes: number, gzipBytes: number, versions: number }} IndexEntry
 * @typedef {{ key: string, documents: Record<string, IndexEntry> }} PackumentIndex
 */

/**
 * Generates (or reuses) the documents for the packages of `workload` (one, or several merged by
 * mergeWorkloads) under `dir`. The folder is keyed by the generator version, the lockfiles, `now` and
 * `maxBytes`, so a changed input regenerates it. Returns the index: name -> file, ETag, uncompressed
 * and gzipped size.
 *
 * @param {{ workload: { names: Map<string, import('./workload.mjs').LockedName>, lockfiles: string[] }, dir: string, now: Date, maxBytes?: number, log?: (line: string) => void }} options
 * @returns {PackumentIndex}
 */
export function ensurePackuments({ workload, dir, now, maxBytes, log = () => undefined }) {
  const hash = createHash('sha256').update(`${SYNTH_VERSION}\n${now.toISOString()}\n${maxBytes ?? ''}\n`);
  for (const lockfile of workload.lockfiles) hash.update(readFileSync(lockfile));
  const key = hash.digest('hex').slice(0, 16);
  const indexFile = join(dir, 'index.json');
  if (existsSync(indexFile)) {
    const index = JSON.parse(readFileSync(indexFile, 'utf8'));
    if (index.key === key) return index;
  }
  // Written beside the final folder and renamed into place, so a run started meanwhile never reads half of it.
  const final = dir;
  dir = `${final}.tmp-${process.pid}`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'docs'), { recursive: true });
  const allNames = [...workload.names.keys()].sort();
  /** @type {Record<string, IndexEntry>} */
  const documents = {};
  const started = Date.now();
  let total = 0;
  for (const [i, name] of allNames.entries()) {
    const plan = planPackument(name, workload.names.get(name), { now, allNames, ...(maxBytes === undefined ? {} : { maxBytes }) });
    const text = packumentPieces(plan).join('');
    const bytes = Buffer.byteLength(text);
    const gzipped = gzipSync(text);
    const file = `${createHash('sha256').update(name).digest('hex').slice(0, 24)}.json.gz`;
    writeFileSync(join(dir, 'docs', file), gzipped);
    documents[name] = { file, etag: `"${createHash('sha256').update(text).digest('hex').slice(0, 32)}"`, bytes, gzipBytes: gzipped.length, versions: plan.versions.length };
    total += bytes;
    if ((i + 1) % 250 === 0) log(`  generated ${i + 1}/${allNames.length} packuments (${(total / 1e6).toFixed(0)} MB) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  const index = { key, documents };
  writeFileSync(join(dir, 'index.json'), JSON.stringify(index));
  rmSync(final, { recursive: true, force: true });
  renameSync(dir, final);
  return index;
}
