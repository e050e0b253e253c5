/** Reads the importers of a pnpm lockfile (the root and each workspace) and their declared dependencies. */

import { quote } from './npm-entry';
import { isSafeRelativePath } from './npm-paths';
import type { Layout } from './pnpm-keys';
import type { Reporter } from './pnpm-report';
import { REGENERATE } from './pnpm-report';
import type { Entry, Span, YamlReader } from './pnpm-yaml';

/** One dependency an importer declares, as the lockfile resolved it. */
export interface ImporterDependency {
  /** The key in package.json: the alias for `npm:` aliases. */
  readonly name: string;
  /** The resolved reference: a version (`1.2.3(react@18.3.1)`), a key (aliases, `file:`), or `link:<path>`. */
  readonly ref: string;
  readonly kind: 'prod' | 'dev' | 'optional';
  readonly span: Span;
}

/** A folder with a package.json that pnpm installs: '' for the root, else its path (`packages/a`). */
export interface PnpmImporter {
  readonly path: string;
  readonly dependencies: readonly ImporterDependency[];
}

const SECTIONS = [
  ['dependencies', 'prod'],
  ['optionalDependencies', 'optional'],
  ['devDependencies', 'dev'],
] as const;

/**
 * The importers, root first and then in document order. Lockfiles of a single project before 9.0
 * have no `importers`: their root's sections sit at the top level. Importers with unusable paths
 * are reported and skipped.
 */
export function readImporters(root: unknown, layout: Layout, y: YamlReader, report: Reporter): PnpmImporter[] {
  const node = y.valueOf(root, 'importers');
  if (node === undefined) {
    if (layout === 'v9') report.error(`${report.name} has no "importers", so no package is known to be direct; ${REGENERATE}.`);
    return [{ path: '', dependencies: readSections(root, layout, '.', y, report) }];
  }
  if (!y.isMapNode(node)) {
    report.error(`${report.name} has an "importers" that is not a map; it was ignored.`, y.spanOf(node));
    return [];
  }
  const byPath = new Map<string, PnpmImporter>();
  for (const entry of y.entriesOf(node)) {
    const path = importerPath(entry, report);
    if (path === undefined) continue;
    if (byPath.has(path)) {
      report.error(`${report.name} lists the importer ${quote(entry.key)} more than once; the last one was used (pnpm itself refuses duplicate keys).`, entry.keySpan);
      byPath.delete(path);
    }
    byPath.set(path, { path, dependencies: readSections(entry.value, layout, entry.key, y, report) });
  }
  const importers = [...byPath.values()];
  return [...importers.filter((i) => i.path === ''), ...importers.filter((i) => i.path !== '')];
}

/** `.` is the root; other ids are relative folder paths (`packages/a`, or `../lib` outside the root). */
function importerPath(entry: Entry, report: Reporter): string | undefined {
  if (entry.key === '.') return '';
  if (isSafeRelativePath(entry.key.replace(/^(?:\.\.\/)+/, ''))) return entry.key;
  report.error(`${report.name} importer ${quote(entry.key)} has an unusable path (absolute, or with empty, "." or ".." segments); it was skipped.`, entry.keySpan);
  return undefined;
}

/** `dependencies`, `optionalDependencies` and `devDependencies`: `name: ref` in 5.x, `name: {specifier, version}` from 6.0. */
function readSections(node: unknown, layout: Layout, id: string, y: YamlReader, report: Reporter): ImporterDependency[] {
  const dependencies: ImporterDependency[] = [];
  for (const [section, kind] of SECTIONS) {
    for (const entry of y.entriesOf(y.valueOf(node, section))) {
      const ref = layout === 'v5' ? y.textOf(entry.value) : (y.stringOf(entry.value, 'version') ?? y.textOf(entry.value));
      if (ref === undefined || ref === '') {
        report.error(`${report.name} importer ${quote(id)} has no version for ${quote(entry.key)} in "${section}"; it was skipped.`, entry.keySpan);
        continue;
      }
      dependencies.push({ name: entry.key, ref, kind, span: entry.keySpan });
    }
  }
  return dependencies;
}
