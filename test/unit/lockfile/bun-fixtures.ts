/** Shared helpers for the bun.lock tests: the Bun-generated fixtures, Bun's own view of them, and expected locations. */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImporterManifest } from '../../../src/core/lockfile/types';
import type { LockedPackage, Location } from '../../../src/core/types';
import { locationOf } from './npm-fixtures';

const ROOT = join(__dirname, '..', '..', 'fixtures', 'lockfiles');

export interface BunFixture {
  /** bun.lock exactly as Bun wrote it. */
  readonly text: string;
  /** `name@version` of every registry package in `bun pm ls --all`, as bun-generate.ts recorded it. */
  readonly expected: readonly string[];
  /** The root's package.json as an importer. */
  readonly root: ImporterManifest;
}

export function readBunFixture(name: string): BunFixture {
  const text = readFileSync(join(ROOT, name, 'bun.lock'), 'utf8');
  const expected = readFileSync(join(ROOT, name, 'expected-registry.txt'), 'utf8').split('\n').filter(Boolean);
  const root = { path: '', ...(JSON.parse(readFileSync(join(ROOT, name, 'package.json'), 'utf8')) as Omit<ImporterManifest, 'path'>) };
  return { text, expected, root };
}

/** A workspace's package.json as an importer. */
export function readWorkspace(fixture: string, path: string): ImporterManifest {
  return { path, ...(JSON.parse(readFileSync(join(ROOT, fixture, path, 'package.json'), 'utf8')) as Omit<ImporterManifest, 'path'>) };
}

/** The sorted, distinct `name@version` of the registry packages a parse found: what Bun's view is compared with. */
export function registrySet(packages: readonly LockedPackage[]): string[] {
  return [...new Set(packages.filter((p) => p.source === 'registry').map((p) => `${p.name}@${p.version}`))].sort();
}

/** The Location of the `packages` key `"<key>": [`, computed independently of the parser. */
export function bunKeyLocation(file: string, text: string, key: string): Location {
  const quoted = JSON.stringify(key);
  return { ...locationOf(file, text, `${quoted}: [`), length: quoted.length };
}

/** The text with `raw` inserted at the start of the `packages` object, as a hand edit or an attacker would. */
export function insertIntoBunPackages(text: string, raw: string): string {
  const anchor = '"packages": {\n';
  const at = text.indexOf(anchor);
  if (at < 0) throw new Error('fixture has no "packages" object');
  return text.slice(0, at + anchor.length) + raw + text.slice(at + anchor.length);
}

/** bun.lock read by JSON.parse once its trailing commas are removed: expected values, taken without the parser under test. */
export function lockJson(text: string): { readonly packages: Record<string, readonly unknown[]> } {
  return JSON.parse(text.replace(/,(\s*[}\]])/g, '$1')) as { packages: Record<string, readonly unknown[]> };
}
