/** Reads a bench workload's package-lock.json into the registry packages it locks: name -> locked versions and install-script flags. */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * @typedef {{ versions: Set<string>, installScript: Set<string> }} LockedName
 * @typedef {{ dir: string, names: Map<string, LockedName>, locked: number, direct: number }} Workload
 */

/** Loads `dir`'s package.json and package-lock.json (v2/v3). Only registry packages count: links, git and file specs are skipped. */
export function loadWorkload(dir) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8'));
  /** @type {Map<string, LockedName>} */
  const names = new Map();
  let locked = 0;
  for (const [key, entry] of Object.entries(lock.packages ?? {})) {
    if (key === '' || entry.link === true || typeof entry.version !== 'string') continue;
    if (entry.resolved !== undefined && !/^https?:\/\/[^/]+\/.+\.tgz$/.test(entry.resolved)) continue;
    const name = entry.name ?? key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const known = names.get(name) ?? { versions: new Set(), installScript: new Set() };
    known.versions.add(entry.version);
    if (entry.hasInstallScript === true) known.installScript.add(entry.version);
    names.set(name, known);
    locked++;
  }
  const kinds = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'];
  const direct = new Set(kinds.flatMap((kind) => Object.keys(manifest[kind] ?? {}))).size;
  return { dir, names, locked, direct };
}
