/** Shared helpers for the Yarn lockfile tests: the Yarn-generated fixtures, each Yarn's own view of them, and key locations. */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImporterManifest } from '../../../src/core/lockfile/types';
import type { Location } from '../../../src/core/types';

const ROOT = join(__dirname, '..', '..', 'fixtures', 'lockfiles');

export interface YarnFixture {
  /** yarn.lock exactly as Yarn wrote it. */
  readonly text: string;
  /** The root's and the workspaces' package.json, as the audit hands them to the parser. */
  readonly importers: readonly ImporterManifest[];
}

export function readYarnFixture(name: string, workspaces: readonly string[] = []): YarnFixture {
  const manifest = (path: string): ImporterManifest => ({
    path,
    ...(JSON.parse(readFileSync(join(ROOT, name, path, 'package.json'), 'utf8')) as Omit<ImporterManifest, 'path'>),
  });
  return { text: readFileSync(join(ROOT, name, 'yarn.lock'), 'utf8'), importers: [manifest(''), ...workspaces.map(manifest)] };
}

/**
 * Yarn Berry's own view: `yarn info --all --recursive --json --name-only` lists every locator it locked.
 * Registry packages are `name@npm:version`; a `patch:` locator is built from the registry locator it
 * wraps (URL-encoded before the `#`). Workspaces, links, portals and folders are not registry packages.
 */
export function berryView(name: string): string[] {
  const lines = readFileSync(join(ROOT, name, 'yarn-info.ndjson'), 'utf8').split('\n').filter((l) => l.trim() !== '');
  const registry = (locator: string): string | undefined => {
    const match = /^(@?[^@]+)@(npm|patch):(.*)$/.exec(locator);
    if (!match) return undefined;
    if (match[2] === 'npm') return `${match[1]}@${match[3]}`;
    return registry(decodeURIComponent(match[3].slice(0, match[3].indexOf('#'))));
  };
  return sorted(lines.map((l) => registry(JSON.parse(l) as string)).filter((l): l is string => l !== undefined));
}

interface ListNode {
  readonly name: string;
  readonly shadow?: boolean;
  readonly children?: readonly ListNode[];
}

/**
 * Yarn classic's own view: `yarn list --json` after the install. Its non-shadow nodes are the installed
 * packages as `folder-name@version`, so an alias shows under its alias (mapped back through package.json's
 * `npm:` specs) and workspaces and `file:` folders show too (left out: not registry packages).
 */
export function classicView(name: string, fixture: YarnFixture): string[] {
  const list = JSON.parse(readFileSync(join(ROOT, name, 'yarn-list.json'), 'utf8')) as { data: { trees: ListNode[] } };
  const aliases = new Map<string, string>();
  const local = new Set<string>();
  for (const importer of fixture.importers) {
    if (importer.name) local.add(importer.name);
    for (const section of [importer.dependencies, importer.devDependencies, importer.optionalDependencies]) {
      for (const [dep, spec] of Object.entries(section ?? {})) {
        if (spec.startsWith('npm:')) aliases.set(dep, spec.slice(4, spec.lastIndexOf('@')));
        if (spec.startsWith('file:')) local.add(dep);
      }
    }
  }
  const found: string[] = [];
  const walk = (nodes: readonly ListNode[]): void => {
    for (const node of nodes) {
      if (!node.shadow) {
        const at = node.name.lastIndexOf('@');
        const dep = node.name.slice(0, at);
        if (!local.has(dep)) found.push(`${aliases.get(dep) ?? dep}${node.name.slice(at)}`);
      }
      walk(node.children ?? []);
    }
  };
  walk(list.data.trees);
  return sorted(found);
}

export function sorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/** The Location of an entry's key as written at the start of its line (`<rawKey>:`), found without the parser. */
export function entryLocation(file: string, text: string, rawKey: string, from = 0): Location {
  const needle = `\n${rawKey}:`;
  const at = text.indexOf(needle, from);
  if (at < 0) throw new Error(`text has no entry ${JSON.stringify(rawKey.slice(0, 80))}`);
  const offset = at + 1;
  const before = text.slice(0, offset);
  const line = before.split(/\r\n|\r|\n/).length;
  return { file, offset, length: rawKey.length, line, column: 1 };
}
