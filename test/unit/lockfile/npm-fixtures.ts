/** Shared helpers for the npm lockfile tests: the npm-generated fixtures, expected locations and a one-line summary. */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LockedPackage, Location } from '../../../src/core/types';
import type { RootManifest } from '../../../src/core/lockfile/npm';

const ROOT = join(__dirname, '..', '..', 'fixtures', 'lockfiles');

export interface Fixture {
  /** The lockfile's text exactly as npm wrote it. */
  readonly text: string;
  /** The project's package.json. */
  readonly manifest: RootManifest;
  /** The lockfile read by JSON.parse, to take expected `resolved`/`integrity` values from. */
  readonly json: { readonly packages?: Record<string, { resolved?: string; integrity?: string }> };
}

export function readFixture(name: string, lockfile = 'package-lock.json'): Fixture {
  const text = readFileSync(join(ROOT, name, lockfile), 'utf8');
  const manifest = JSON.parse(readFileSync(join(ROOT, name, 'package.json'), 'utf8')) as RootManifest;
  return { text, manifest, json: JSON.parse(text) as Fixture['json'] };
}

/**
 * The Location of the key `"<key>": {` at or after `from`, computed independently of the parser:
 * 1-based line and column, UTF-16 offsets, the key's quotes included.
 */
export function keyLocation(file: string, text: string, key: string, from = 0): Location {
  const quoted = JSON.stringify(key);
  return { ...locationOf(file, text, `${quoted}: {`, from), length: quoted.length };
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

/** `key name@version source [flags] via a > b [in workspace]`: one line per package, for whole-tree tables. */
export function summarize(p: LockedPackage): string {
  const flags = [
    p.dev && 'dev',
    p.optional && 'optional',
    p.peer && 'peer',
    p.direct && 'direct',
    p.hasInstallScript && 'script',
    p.inBundle && 'bundled',
  ].filter(Boolean);
  const where = p.workspace === '' ? '' : ` in ${p.workspace}`;
  return `${p.key} ${p.name}@${p.version} ${p.source}${flags.length ? ` [${flags.join(',')}]` : ''} via ${p.via.join(' > ')}${where}`;
}

/** The same packages without their locations, to compare one tree written in two layouts. */
export function withoutLocations(packages: readonly LockedPackage[]): Omit<LockedPackage, 'location'>[] {
  return packages.map(({ location: _location, ...rest }) => rest);
}

/** Inserts raw entry text at the start of the `packages` object, as a hand edit or an attacker would. */
export function insertIntoPackages(text: string, raw: string): string {
  const anchor = '"packages": {\n';
  const at = text.indexOf(anchor);
  if (at < 0) throw new Error('fixture has no "packages" object');
  return text.slice(0, at + anchor.length) + raw + text.slice(at + anchor.length);
}
