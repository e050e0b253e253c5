/** Names every package change between two lockfiles' packages: added, removed, upgraded, downgraded, a second copy, a new source or new bytes. */

import semver from 'semver';
import type { DependencyKind, LockedPackage } from '../types';
import { compareIntegrity, describeUrl, isSameSource } from './sources';
import type { ChangeKind, EntrySource, PackageChange, SemverLevel } from './types';

export interface DiffOptions {
  /** The lockfile, relative to the repository root (named in every change). */
  readonly file: string;
  /** Hosts of the registries the project uses: an entry without `resolved` comes from one of them. */
  readonly registryHosts: readonly string[];
}

/** Packages that are the project's own code, not dependencies: never reported as changes. */
function isOwnCode(p: LockedPackage): boolean {
  return p.source === 'workspace' || p.source === 'link';
}

/**
 * Compares the packages of one lockfile at two revisions (`before` undefined for a new lockfile,
 * `after` undefined for a deleted one). Packages are matched by name. A version that replaces another
 * of the same name is one change (`upgraded`, `downgraded`, or `changed` when the versions cannot be
 * ordered), never a removal plus an addition: old and new versions are paired by the lockfile slot
 * they occupy (npm and Bun install paths, Yarn descriptors), then by major and by distance. A new
 * version left over is `added` (or `added-alongside` when the package was already in the tree), an
 * old one `removed`. A version in both is compared entry by entry for its source and its integrity.
 * Sorted by name, then kind, then version.
 */
export function diffLockedPackages(before: readonly LockedPackage[] | undefined, after: readonly LockedPackage[] | undefined, options: DiffOptions): PackageChange[] {
  const old = groupByName(before ?? []);
  const now = groupByName(after ?? []);
  const names = [...new Set([...old.keys(), ...now.keys()])].sort();
  const changes: PackageChange[] = [];
  for (const name of names) {
    const b = groupByVersion(old.get(name) ?? []);
    const h = groupByVersion(now.get(name) ?? []);
    for (const [version, entries] of h) {
      const previous = b.get(version);
      if (previous !== undefined) changes.push(...sameVersionChanges(name, version, previous, entries, options));
    }
    const olds = [...b.keys()].filter((v) => !h.has(v));
    const news = [...h.keys()].filter((v) => !b.has(v));
    const pairs = pairVersions(olds, news, b, h);
    const paired = new Set(pairs.flatMap(([o, n]) => [`o${o}`, `n${n}`]));
    for (const [from, to] of pairs) changes.push(replacement(name, from, to, h.get(to) ?? [], options.file));
    for (const to of news.filter((v) => !paired.has(`n${v}`))) {
      const others = [...h.keys()].filter((v) => v !== to).sort(compareVersions);
      const kind: ChangeKind = b.size > 0 ? 'added-alongside' : 'added';
      const text = kind === 'added' ? `${name} ${to} (new)` : `${name} ${to} added alongside ${others.join(', ') || [...b.keys()].join(', ')}`;
      changes.push(describe(kind, name, h.get(to) ?? [], options.file, { to, ...(kind === 'added-alongside' ? { others } : {}) }, text));
    }
    for (const from of olds.filter((v) => !paired.has(`o${v}`))) {
      const others = [...h.keys()].sort(compareVersions);
      const text = `${name} ${from} removed${others.length > 0 ? `; ${others.join(', ')} remains` : ''}`;
      changes.push(describe('removed', name, b.get(from) ?? [], options.file, { from, ...(others.length > 0 ? { others } : {}) }, text, false));
    }
  }
  return changes.sort(compareChanges);
}

function replacement(name: string, from: string, to: string, entries: readonly LockedPackage[], file: string): PackageChange {
  const ordered = semver.valid(from) !== null && semver.valid(to) !== null;
  if (!ordered) return describe('changed', name, entries, file, { from, to }, `${name} ${from} → ${to}`);
  const kind: ChangeKind = semver.gt(to, from) ? 'upgraded' : 'downgraded';
  const level = (semver.diff(from, to) ?? undefined) as SemverLevel | undefined;
  const text = `${name} ${from} → ${to} (${level ?? 'build'}${kind === 'downgraded' ? ' downgrade' : ''})`;
  return describe(kind, name, entries, file, { from, to, ...(level !== undefined ? { level } : {}) }, text);
}

/** Source and integrity changes of one version present on both sides: at most one of each. */
function sameVersionChanges(name: string, version: string, before: readonly LockedPackage[], after: readonly LockedPackage[], options: DiffOptions): PackageChange[] {
  const changes: PackageChange[] = [];
  const moved = after.find((h) => !isOwnCode(h) && !before.some((b) => isSameSource(b, h, options.registryHosts)));
  if (moved !== undefined) {
    const was = before[0];
    const text = `${name} ${version}: now from ${whereFrom(moved)} (was ${was === undefined ? 'unknown' : whereFrom(was)})`;
    changes.push(describe('source-changed', name, [moved], options.file, { from: version, to: version, before: sourceOf(was), after: sourceOf(moved) }, text));
  }
  const rehashed = after.find((h) => {
    if (h.integrity !== undefined) {
      const verdicts = before.flatMap((b) => (b.integrity === undefined ? [] : [compareIntegrity(b.integrity, h.integrity ?? '')]));
      if (verdicts.includes('different') && !verdicts.includes('same')) return true;
    }
    const checksum = checksumOf(h);
    const previous = before.map(checksumOf).filter((c): c is string => c !== undefined);
    return checksum !== undefined && previous.length > 0 && !previous.includes(checksum);
  });
  if (rehashed !== undefined) {
    const was = before.find((b) => b.integrity !== undefined || checksumOf(b) !== undefined) ?? before[0];
    const text = `${name} ${version}: the lockfile now records other bytes for the same version`;
    changes.push(describe('integrity-changed', name, [rehashed], options.file, { from: version, to: version, before: sourceOf(was), after: sourceOf(rehashed) }, text));
  }
  return changes;
}

function whereFrom(p: LockedPackage): string {
  if (p.resolved !== undefined) return describeUrl(p.resolved);
  return p.source === 'registry' ? 'the configured registry' : p.source;
}

function sourceOf(p: LockedPackage | undefined): EntrySource {
  if (p === undefined) return { source: 'invalid' };
  const checksum = checksumOf(p);
  return {
    source: p.source,
    ...(p.resolved !== undefined ? { resolved: p.resolved } : {}),
    ...(p.integrity !== undefined ? { integrity: p.integrity } : {}),
    ...(checksum !== undefined ? { checksum } : {}),
  };
}

/** Yarn Berry's `checksum`, which its parser keeps beside the common fields. */
function checksumOf(p: LockedPackage): string | undefined {
  const value = (p as LockedPackage & { readonly checksum?: unknown }).checksum;
  return typeof value === 'string' ? value : undefined;
}

const SCOPE_RANK: Readonly<Record<DependencyKind, number>> = { prod: 0, optional: 1, peer: 2, dev: 3 };

function scopeOf(p: LockedPackage): DependencyKind {
  if (p.dev) return 'dev';
  if (p.optional) return 'optional';
  if (p.peer) return 'peer';
  return 'prod';
}

/**
 * A change named from the entries of its version: direct when any copy is, the scope the most needed
 * copy has (prod before optional, peer, dev), the shortest chain and its workspace.
 */
function describe(
  kind: ChangeKind,
  name: string,
  entries: readonly LockedPackage[],
  file: string,
  fields: Partial<Pick<PackageChange, 'from' | 'to' | 'level' | 'before' | 'after' | 'others'>>,
  message: string,
  locate = true,
): PackageChange {
  const best = [...entries].sort(
    (a, b) => Number(b.direct) - Number(a.direct) || SCOPE_RANK[scopeOf(a)] - SCOPE_RANK[scopeOf(b)] || a.via.length - b.via.length,
  )[0];
  const scope = entries.map(scopeOf).sort((a, b) => SCOPE_RANK[a] - SCOPE_RANK[b])[0] ?? 'prod';
  const direct = entries.some((e) => e.direct);
  return {
    kind,
    file,
    name,
    ...fields,
    direct,
    scope,
    ...(!direct && best !== undefined && best.via.length > 1 ? { via: best.via } : {}),
    ...(best !== undefined && best.workspace !== '' ? { workspace: best.workspace } : {}),
    source: best?.source ?? 'registry',
    ...(locate && best?.location !== undefined ? { location: best.location } : {}),
    message,
  };
}

function groupByName(packages: readonly LockedPackage[]): Map<string, LockedPackage[]> {
  const groups = new Map<string, LockedPackage[]>();
  for (const p of packages) {
    if (isOwnCode(p)) continue;
    const list = groups.get(p.name) ?? [];
    list.push(p);
    groups.set(p.name, list);
  }
  return groups;
}

function groupByVersion(packages: readonly LockedPackage[]): Map<string, LockedPackage[]> {
  const groups = new Map<string, LockedPackage[]>();
  for (const p of packages) {
    const list = groups.get(p.version) ?? [];
    list.push(p);
    groups.set(p.version, list);
  }
  return groups;
}

/** The slots an entry occupies: its key, and for Yarn each descriptor of a joined key (`a@^1, a@^1.2`). */
function slotsOf(entries: readonly LockedPackage[]): Set<string> {
  return new Set(entries.flatMap((e) => e.key.split(', ')));
}

/**
 * Pairs removed with added versions, best first: sharing a lockfile slot, then on the same major,
 * then closest in version order. Each version is used once; what is left over stays unpaired.
 */
function pairVersions(olds: readonly string[], news: readonly string[], before: ReadonlyMap<string, readonly LockedPackage[]>, after: ReadonlyMap<string, readonly LockedPackage[]>): [string, string][] {
  if (olds.length === 0 || news.length === 0) return [];
  const order = [...new Set([...olds, ...news])].sort(compareVersions);
  const candidates: { from: string; to: string; score: [number, number, number] }[] = [];
  for (const from of olds) {
    const slots = slotsOf(before.get(from) ?? []);
    for (const to of news) {
      const shared = [...slotsOf(after.get(to) ?? [])].some((slot) => slots.has(slot));
      const sameMajor = semver.valid(from) !== null && semver.valid(to) !== null && semver.major(from) === semver.major(to);
      candidates.push({ from, to, score: [shared ? 0 : 1, sameMajor ? 0 : 1, Math.abs(order.indexOf(from) - order.indexOf(to))] });
    }
  }
  candidates.sort((a, b) => a.score[0] - b.score[0] || a.score[1] - b.score[1] || a.score[2] - b.score[2] || compareVersions(a.to, b.to));
  const used = new Set<string>();
  const pairs: [string, string][] = [];
  for (const c of candidates) {
    if (used.has(`o${c.from}`) || used.has(`n${c.to}`)) continue;
    used.add(`o${c.from}`);
    used.add(`n${c.to}`);
    pairs.push([c.from, c.to]);
  }
  return pairs;
}

/** Semver order where both are versions, else text order (git commits, tags). */
export function compareVersions(a: string, b: string): number {
  const va = semver.valid(a);
  const vb = semver.valid(b);
  if (va !== null && vb !== null) return semver.compare(va, vb);
  if (va !== null) return -1;
  if (vb !== null) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

const KIND_ORDER: readonly ChangeKind[] = ['upgraded', 'downgraded', 'changed', 'added', 'added-alongside', 'removed', 'source-changed', 'integrity-changed'];

function compareChanges(a: PackageChange, b: PackageChange): number {
  const byName = a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  return byName || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind) || compareVersions(a.to ?? a.from ?? '', b.to ?? b.from ?? '');
}
