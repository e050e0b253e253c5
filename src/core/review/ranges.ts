/** Collects the ranges a project writes for each package (manifests, npm and Bun lockfile entries, Yarn descriptors), for `lockfile-inconsistent`. */

import { parse as parseJsonc } from 'jsonc-parser';
import type { LockedPackage, LockfileFormat } from '../types';
import type { ProjectManifest } from '../project';

/** Ranges per package name, and the names whose version something else decides (an override, a resolution). */
export interface RangeIndex {
  readonly byName: ReadonlyMap<string, readonly string[]>;
  /** Names pinned by `resolutions` or `pnpm.overrides`: their ranges are not the whole story. */
  readonly pinned: ReadonlySet<string>;
  /** False for formats whose transitive ranges are not in the lockfile (pnpm records resolved versions). */
  readonly transitive: boolean;
  readonly format: LockfileFormat;
}

const SECTIONS = ['dependencies', 'optionalDependencies', 'peerDependencies', 'devDependencies'];

/**
 * Indexes the ranges of the head revision: every registry range the manifests declare (overrides
 * included), and for npm and Bun every range their lockfile entries list. Yarn's ranges are the
 * descriptors of each entry's own key (see `rangesFor`). Never throws: an unreadable text adds nothing.
 */
export function indexRanges(format: LockfileFormat, text: string | undefined, manifests: readonly ProjectManifest[]): RangeIndex {
  const byName = new Map<string, string[]>();
  const add = (name: string, range: string): void => {
    const alias = /^npm:((?:@[^/@]+\/)?[^@]+)@(.*)$/.exec(range);
    const [target, spec] = alias ? [alias[1]!, alias[2]!] : [name, range];
    const list = byName.get(target) ?? [];
    list.push(spec);
    byName.set(target, list);
  };
  for (const m of manifests) {
    for (const d of m.manifest.dependencies) if (d.source === 'registry' && d.range !== undefined) add(d.registryName, d.range);
  }
  const pinned = new Set<string>();
  const root = parseObject(manifests[0]?.text ?? '');
  for (const field of [own(root, 'resolutions'), own(own(root, 'pnpm'), 'overrides')]) {
    for (const key of Object.keys(asRecord(field))) pinned.add(pinnedName(key));
  }
  if (text !== undefined && (format === 'npm' || format === 'bun')) {
    const doc = parseObject(text);
    if (format === 'npm') {
      for (const entry of Object.values(asRecord(own(doc, 'packages')))) addSections(entry, add);
      walkLegacy(own(doc, 'dependencies'), add, 0);
    } else {
      for (const workspace of Object.values(asRecord(own(doc, 'workspaces')))) addSections(workspace, add);
      for (const entry of Object.values(asRecord(own(doc, 'packages')))) {
        if (Array.isArray(entry)) for (const item of entry) addSections(item, add);
      }
    }
  }
  return { byName, pinned, transitive: format !== 'pnpm', format };
}

/**
 * The ranges that could admit `entry`: undefined when unknown (a pinned name, or a pnpm package that
 * no manifest declares). For Yarn, the descriptors of the entry's own key come first.
 */
export function rangesFor(index: RangeIndex, entry: LockedPackage | undefined, name: string): readonly string[] | undefined {
  if (index.pinned.has(name)) return undefined;
  const declared = index.byName.get(name) ?? [];
  if (index.format === 'yarn-classic' || index.format === 'yarn-berry') {
    const own = (entry?.key ?? '').split(', ').map((descriptor) => descriptor.slice(descriptor.indexOf('@', 1) + 1).replace(/^npm:/, ''));
    const ranges = [...own.filter((r) => r !== ''), ...declared];
    return ranges.length > 0 ? ranges : undefined;
  }
  if (!index.transitive && (entry === undefined || !entry.direct)) return undefined;
  return declared.length > 0 ? declared : undefined;
}

/** The package a `resolutions` or `pnpm.overrides` key pins: `a/foo`, `foo@^1`, `a>foo` and a glob path all pin `foo`. */
function pinnedName(key: string): string {
  const last = key.split('>').pop()?.trim() ?? key;
  return /((?:@[^/@]+\/)?[^/@]+)(?:@[^/]*)?$/.exec(last)?.[1] ?? last;
}

function addSections(value: unknown, add: (name: string, range: string) => void): void {
  for (const section of SECTIONS) {
    for (const [name, range] of Object.entries(asRecord(own(value, section)))) if (typeof range === 'string') add(name, range);
  }
}

/** npm lockfile v1: `dependencies` nested by install path, each with `requires`. */
function walkLegacy(tree: unknown, add: (name: string, range: string) => void, depth: number): void {
  if (depth > 64) return;
  for (const node of Object.values(asRecord(tree))) {
    for (const [name, range] of Object.entries(asRecord(own(node, 'requires')))) if (typeof range === 'string') add(name, range);
    walkLegacy(own(node, 'dependencies'), add, depth + 1);
  }
}

function parseObject(text: string): unknown {
  try {
    return parseJsonc(text, [], { allowTrailingComma: true, disallowComments: false });
  } catch (error) {
    // jsonc-parser reports problems in its errors array; a throw here would be a bug in it, and the review goes on without ranges.
    void error;
    return undefined;
  }
}

function asRecord(value: unknown): Readonly<Record<string, unknown>> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function own(value: unknown, key: string): unknown {
  const record = asRecord(value);
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
