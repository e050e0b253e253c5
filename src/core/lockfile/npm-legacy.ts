/** Reads the nested `dependencies` tree of npm lockfile v1 into RawEntry records keyed by install path. */

import type { Node } from 'jsonc-parser';
import { isValidPackageName } from '../spec';
import type { RawEntry, Reporter } from './npm-entry';
import { quote } from './npm-entry';
import type { Property } from './npm-json';
import { isTrue, keysOf, propertiesOf, stringOf, valueOf } from './npm-json';
import { isGitSpec, isTarballSpec } from './npm-paths';

/**
 * Flattens v1's tree into the paths v2/v3 use (`a` inside `b` -> `node_modules/b/node_modules/a`),
 * in document order, so both layouts go through the same resolution. Walks with an explicit stack:
 * nesting depth comes from the file and must not be able to overflow ours.
 */
export function readLegacy(dependencies: Node, report: Reporter): Map<string, RawEntry> {
  const entries = new Map<string, RawEntry>();
  const stack: { property: Property; prefix: string }[] = [];
  const pushChildren = (node: Node | undefined, prefix: string): void => {
    const children = propertiesOf(node);
    for (let i = children.length - 1; i >= 0; i--) stack.push({ property: children[i], prefix });
  };
  pushChildren(dependencies, '');
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { key: dependencyName, keyNode, value } = item.property;
    const key = `${item.prefix}node_modules/${dependencyName}`;
    const entry = readEntry(key, dependencyName, keyNode, value, report);
    if (!entry || !value) continue;
    if (entries.has(key)) {
      report.error(`${report.name} lists ${quote(dependencyName)} more than once in one "dependencies" object; the last one was used, as npm does.`, keyNode);
      entries.delete(key);
    }
    entries.set(key, entry);
    pushChildren(valueOf(value, 'dependencies'), `${key}/`);
  }
  return entries;
}

function readEntry(key: string, dependencyName: string, keyNode: Node, value: Node | undefined, report: Reporter): RawEntry | undefined {
  const where = `${report.name} dependency ${quote(dependencyName)}${key.includes('/node_modules/') ? ` (at ${quote(key)})` : ''}`;
  if (!isValidPackageName(dependencyName)) {
    report.error(`${where} is not a valid package name; it and its nested dependencies were skipped.`, keyNode);
    return undefined;
  }
  if (value?.type !== 'object') {
    report.error(`${where} is not an object; it was skipped.`, keyNode);
    return undefined;
  }
  const written = stringOf(value, 'version');
  if (written === undefined) {
    report.error(`${where} has no version; it and its nested dependencies were skipped.`, keyNode);
    return undefined;
  }
  const integrity = stringOf(value, 'integrity');
  const spec = specOf(written, stringOf(value, 'resolved'), integrity !== undefined);
  if (spec.name !== undefined && !isValidPackageName(spec.name)) {
    report.error(`${where} is an alias of an invalid package name ${quote(spec.name)}; it was skipped.`, keyNode);
    return undefined;
  }
  return {
    key,
    keyNode,
    kind: 'package',
    ...(spec.name !== undefined ? { name: spec.name } : {}),
    version: spec.version,
    ...(spec.resolved !== undefined ? { resolved: spec.resolved } : {}),
    ...(integrity !== undefined ? { integrity } : {}),
    link: spec.link,
    dev: isTrue(value, 'dev'),
    optional: isTrue(value, 'optional'),
    devOptional: isTrue(value, 'devOptional'),
    peer: isTrue(value, 'peer'),
    inBundle: isTrue(value, 'bundled'),
    dependencies: keysOf(value, 'requires'),
    devDependencies: [],
  };
}

interface LegacySpec {
  readonly name?: string;
  readonly version: string;
  readonly resolved?: string;
  readonly link: boolean;
}

/**
 * v1 puts non-registry specs in `version`: `npm:real@1.2.3` for aliases, `file:dir` for linked
 * folders, `file:x.tgz`, git URLs and tarball URLs otherwise. Aliases become the real name and
 * version; folders become links like v2's (`resolved` is the folder); the others keep the spec as
 * their version (v1 records no other) and as `resolved` when it has none.
 */
function specOf(written: string, resolved: string | undefined, hasIntegrity: boolean): LegacySpec {
  if (written.startsWith('npm:')) {
    const at = written.lastIndexOf('@');
    if (at > 4) return { name: written.slice(4, at), version: written.slice(at + 1), ...(resolved !== undefined ? { resolved } : {}), link: false };
  }
  if (written.startsWith('file:') && !hasIntegrity && !isTarballSpec(written)) {
    return { version: written, resolved: written.slice('file:'.length), link: true };
  }
  const isSpec = written.startsWith('file:') || isGitSpec(written) || /^https?:\/\//i.test(written);
  const location = resolved ?? (isSpec ? written : undefined);
  return { version: written, ...(location !== undefined ? { resolved: location } : {}), link: false };
}
