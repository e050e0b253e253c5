/** Shared helpers for the pnpm lockfile tests: the pnpm-generated fixtures, pnpm's own view of each, and key locations. */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImporterManifest } from '../../../src/core/lockfile/types';
import type { LockedPackage, Location } from '../../../src/core/types';

const ROOT = join(__dirname, '..', '..', 'fixtures', 'lockfiles');

export const FILE = 'pnpm-lock.yaml';

export interface PnpmFixture {
  /** pnpm-lock.yaml exactly as pnpm wrote it. */
  readonly text: string;
  /** What pnpm itself listed for this lockfile (test/fixtures/lockfiles/pnpm-generate.sh): registry name@version, sorted. */
  readonly expected: { readonly pnpm: string; readonly command: string; readonly packages: readonly string[] };
  /** The project's manifests: the root and, for workspaces, each `packages/*`. */
  readonly manifests: readonly ImporterManifest[];
}

export function readFixture(name: string, workspaces: readonly string[] = []): PnpmFixture {
  const dir = join(ROOT, name);
  const manifest = (path: string): ImporterManifest => ({
    path,
    ...(JSON.parse(readFileSync(join(dir, path, 'package.json'), 'utf8')) as Omit<ImporterManifest, 'path'>),
  });
  return {
    text: readFileSync(join(dir, 'pnpm-lock.yaml'), 'utf8'),
    expected: JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as PnpmFixture['expected'],
    manifests: [manifest(''), ...workspaces.map(manifest)],
  };
}

/** The distinct registry name@version pairs of a parse result, sorted as expected.json is. */
export function registrySet(packages: readonly LockedPackage[]): string[] {
  return [...new Set(packages.filter((p) => p.source === 'registry').map((p) => `${p.name}@${p.version}`))].sort();
}

/**
 * The Location of a map key (plain or single-quoted) written at `indent` spaces inside the first
 * top-level `section` at or after `from`, found in the text independently of the parser: 1-based line
 * and column, quotes included.
 */
export function keyLocation(file: string, text: string, key: string, { section = 'packages', indent = 2, from = 0 } = {}): Location {
  const start = text.slice(from).search(new RegExp(`^${section}:`, 'm'));
  if (start < 0) throw new Error(`text has no ${section}:`);
  const pad = ' '.repeat(indent);
  for (const written of [`'${key}'`, key]) {
    const offset = text.indexOf(`\n${pad}${written}:`, from + start);
    if (offset >= 0) return locationOf(file, text, written, offset + 1);
  }
  throw new Error(`${section} has no key ${JSON.stringify(key.slice(0, 80))}`);
}

/** The Location of the first `needle` at or after `from`. */
export function locationOf(file: string, text: string, needle: string, from = 0): Location {
  const offset = text.indexOf(needle, from);
  if (offset < 0) throw new Error(`text has no ${JSON.stringify(needle.slice(0, 80))}`);
  const before = text.slice(0, offset);
  const line = before.split(/\r\n|\r|\n/).length;
  const lineStart = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r')) + 1;
  return { file, offset, length: needle.length, line, column: offset - lineStart + 1 };
}
