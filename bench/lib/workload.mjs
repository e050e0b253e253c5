/** Reads a bench workload's lockfile (package-lock.json or pnpm-lock.yaml) into the registry packages it locks: name -> locked versions and install-script flags. */

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * @typedef {{ versions: Set<string>, installScript: Set<string> }} LockedName
 * @typedef {{ dir: string, lockfile: string, manager: 'npm' | 'pnpm', names: Map<string, LockedName>, locked: number, direct: number }} Workload
 */

/** Loads `dir`'s package.json and its package-lock.json (v2/v3) or pnpm-lock.yaml (v9). Only registry packages count: links, git and file specs are skipped. */
export function loadWorkload(dir) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  /** @type {Map<string, LockedName>} */
  const names = new Map();
  let locked = 0;
  const add = (name, version, installScript) => {
    const known = names.get(name) ?? { versions: new Set(), installScript: new Set() };
    known.versions.add(version);
    if (installScript) known.installScript.add(version);
    names.set(name, known);
    locked++;
  };
  const pnpm = existsSync(join(dir, 'pnpm-lock.yaml'));
  const lockfile = join(dir, pnpm ? 'pnpm-lock.yaml' : 'package-lock.json');
  if (pnpm) {
    const lock = parse(readFileSync(lockfile, 'utf8'));
    for (const [key, entry] of Object.entries(lock.packages ?? {})) {
      // v9 keys are `name@version`; tarball, git and directory packages carry a `resolution` other than an integrity.
      const at = key.lastIndexOf('@');
      if (at <= 0 || entry?.resolution?.integrity === undefined) continue;
      add(key.slice(0, at), key.slice(at + 1), entry.requiresBuild === true);
    }
  } else {
    const lock = JSON.parse(readFileSync(lockfile, 'utf8'));
    for (const [key, entry] of Object.entries(lock.packages ?? {})) {
      if (key === '' || entry.link === true || typeof entry.version !== 'string') continue;
      if (entry.resolved !== undefined && !/^https?:\/\/[^/]+\/.+\.tgz$/.test(entry.resolved)) continue;
      add(entry.name ?? key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length), entry.version, entry.hasInstallScript === true);
    }
  }
  const kinds = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'];
  const direct = new Set(kinds.flatMap((kind) => Object.keys(manifest[kind] ?? {}))).size;
  return { dir, lockfile, manager: pnpm ? 'pnpm' : 'npm', names, locked, direct };
}

/** The union of several workloads' packages: one registry serves them all. */
export function mergeWorkloads(workloads) {
  /** @type {Map<string, LockedName>} */
  const names = new Map();
  for (const workload of workloads) {
    for (const [name, locked] of workload.names) {
      const known = names.get(name) ?? { versions: new Set(), installScript: new Set() };
      for (const version of locked.versions) known.versions.add(version);
      for (const version of locked.installScript) known.installScript.add(version);
      names.set(name, known);
    }
  }
  return { names, lockfiles: workloads.map((w) => w.lockfile) };
}
