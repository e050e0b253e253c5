/**
 * The peer reference: `npm outdated --all --json`, which asks the registry for the packument of every
 * package in the installed tree. The tree is laid out from the lockfile as package.json stubs
 * (no package contents), which is all npm's tree loader reads.
 */

import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const STUB_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies', 'peerDependenciesMeta', 'bin', 'engines', 'os', 'cpu', 'license'];

/** Writes `dir` as an installed copy of the workload (package.json, lockfile, node_modules of stubs); reused when present. */
export function preparePeerProject(workloadDir, dir) {
  const marker = join(dir, '.prepared');
  const lockText = readFileSync(join(workloadDir, 'package-lock.json'), 'utf8');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === String(lockText.length)) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(workloadDir, 'package.json'), join(dir, 'package.json'));
  writeFileSync(join(dir, 'package-lock.json'), lockText);
  const lock = JSON.parse(lockText);
  for (const [key, entry] of Object.entries(lock.packages ?? {})) {
    if (key === '' || entry.link === true) continue;
    const name = entry.name ?? key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const stub = { name, version: entry.version };
    for (const field of STUB_FIELDS) if (entry[field] !== undefined) stub[field] = entry[field];
    mkdirSync(join(dir, key), { recursive: true });
    writeFileSync(join(dir, key, 'package.json'), JSON.stringify(stub));
  }
  writeFileSync(marker, String(lockText.length));
  return dir;
}

/** The command line of one peer run against `registry`, with npm's cache in `cacheDir` (empty for a cold run). */
export function peerCommand(registry, cacheDir) {
  return ['npm', ['outdated', '--all', '--json', `--registry=${registry}`, `--cache=${cacheDir}`, '--no-audit', '--no-fund', '--loglevel=error', '--no-update-notifier']];
}
