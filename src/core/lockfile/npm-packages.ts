/** Reads the `packages` map of npm lockfile v2/v3 (keyed by install path) into RawEntry records. */

import type { Node } from 'jsonc-parser';
import { isValidPackageName } from '../spec';
import type { RawEntry, Reporter } from './npm-entry';
import { quote } from './npm-entry';
import { booleanOf, isTrue, keysOf, propertiesOf, stringOf, stringsOf, valueOf } from './npm-json';
import { isSafeRelativePath, nameFromPath } from './npm-paths';

/**
 * Every usable entry of `packages`, in document order, keyed by path (a Map: keys such as
 * `__proto__` stay plain strings). Entries that cannot be used are reported and left out.
 */
export function readPackages(packages: Node, report: Reporter): Map<string, RawEntry> {
  const entries = new Map<string, RawEntry>();
  for (const { key, keyNode, value } of propertiesOf(packages)) {
    if (entries.has(key)) {
      report.error(`${report.name} lists ${quote(key)} more than once in "packages"; the last one was used, as npm does.`, keyNode);
      entries.delete(key);
    }
    const entry = readEntry(key, keyNode, value, report);
    if (entry) entries.set(key, entry);
  }
  return entries;
}

function readEntry(key: string, keyNode: Node, value: Node | undefined, report: Reporter): RawEntry | undefined {
  const where = `${report.name} entry ${quote(key)}`;
  if (value?.type !== 'object') {
    report.error(`${where} is not an object; it was skipped.`, keyNode);
    return undefined;
  }
  const kind = kindOf(key);
  if (typeof kind !== 'string') {
    report.error(`${where} ${kind.problem}; it was skipped.`, keyNode);
    return undefined;
  }
  const name = stringOf(value, 'name');
  const link = isTrue(value, 'link');
  const version = stringOf(value, 'version');
  if (kind === 'package' && name !== undefined && !isValidPackageName(name)) {
    report.error(`${where} has an invalid package name ${quote(name)}; it was skipped.`, keyNode);
    return undefined;
  }
  if (kind === 'package' && !link && version === undefined) {
    report.error(`${where} has no version; it was skipped.`, keyNode);
    return undefined;
  }
  const workspaces = valueOf(value, 'workspaces');
  const resolved = stringOf(value, 'resolved');
  const integrity = stringOf(value, 'integrity');
  return {
    key,
    keyNode,
    kind,
    ...(name !== undefined ? { name } : {}),
    ...(version !== undefined ? { version } : {}),
    ...(resolved !== undefined ? { resolved } : {}),
    ...(integrity !== undefined ? { integrity } : {}),
    link,
    dev: isTrue(value, 'dev'),
    optional: isTrue(value, 'optional'),
    devOptional: isTrue(value, 'devOptional'),
    peer: isTrue(value, 'peer'),
    inBundle: isTrue(value, 'inBundle'),
    hasInstallScript: booleanOf(value, 'hasInstallScript') ?? false,
    dependencies: unique([
      ...keysOf(value, 'dependencies'),
      ...keysOf(value, 'optionalDependencies'),
      ...keysOf(value, 'peerDependencies'),
    ]),
    devDependencies: keysOf(value, 'devDependencies'),
    // npm accepts `workspaces` as an array of patterns or as `{ packages: [...] }`.
    ...(kind === 'root' ? { workspaces: stringsOf(workspaces).concat(stringsOf(valueOf(workspaces, 'packages'))) } : {}),
  };
}

const UNUSABLE_PATH = { problem: 'has an unusable path (absolute, or with empty, "." or ".." segments)' };

/** What a `packages` key is, or why npm could not install anything there. */
function kindOf(key: string): RawEntry['kind'] | { readonly problem: string } {
  if (key === '') return 'root';
  // Linked folders may sit outside the project (`../lib`), so a folder key may start with `../`.
  if (!isSafeRelativePath(key.replace(/^(?:\.\.\/)+/, ''))) return UNUSABLE_PATH;
  const name = nameFromPath(key);
  if (name === undefined) {
    // Nothing but packages lives in node_modules.
    return key.split('/').includes('node_modules') ? { problem: 'is inside node_modules but does not name a package' } : 'folder';
  }
  if (key.split('/').includes('..')) return UNUSABLE_PATH;
  if (!isValidPackageName(name)) return { problem: `names an invalid package ${quote(name)}` };
  return 'package';
}

function unique(names: string[]): string[] {
  return [...new Set(names)];
}
