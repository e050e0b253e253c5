/** Writes a cache entry as compact JSON (one column per version fact, repeated strings stored once) and reads it back, checking every field. */

import type { CacheEntry } from './cache';
import type { InstallScripts, PackageHistory, VersionFacts } from '../types';

/**
 * The stored shape. A packument repeats the same publisher, maintainers, repository and install
 * scripts on every version and spells out a tarball URL that follows from the version; stored as
 * columns of indexes into shared tables, a history takes a fraction of the space (and of the parse
 * time) that one object per version takes.
 */
interface StoredHistory {
  readonly name: string;
  readonly distTags: Readonly<Record<string, string>>;
  readonly removed: PackageHistory['removed'];
  readonly unpublished?: PackageHistory['unpublished'];
  readonly hasPublisherData: boolean;
  readonly hasMaintainerData: boolean;
  /** Shared strings (publishers, repositories, deprecation messages, maintainer names). */
  readonly strings: readonly string[];
  /** Distinct maintainer lists, as indexes into `strings`. */
  readonly lists: readonly (readonly number[])[];
  /** Distinct install-script sets. */
  readonly scripts: readonly InstallScripts[];
  /** A tarball URL `prefix + version + suffix` is stored as "" in the tarball column. */
  readonly tarballPattern?: readonly [string, string];
  /** One entry per version; -1 (or null) where the fact is absent. */
  readonly columns: {
    readonly version: readonly string[];
    readonly publishedAt: readonly (string | null)[];
    /** Indexes into `strings`. */
    readonly publisher: readonly number[];
    readonly trustedPublisher: readonly number[];
    readonly approver: readonly number[];
    readonly deprecated: readonly number[];
    readonly repository: readonly number[];
    /** Indexes into `lists`. */
    readonly maintainers: readonly number[];
    /** Indexes into `scripts`. */
    readonly installScripts: readonly number[];
    /** 1 true, 0 false, -1 absent. */
    readonly provenance: readonly number[];
    readonly hasInstallScript: readonly number[];
    readonly integrity: readonly (string | null)[];
    /** The URL, "" when it follows `tarballPattern`, null when absent. */
    readonly tarball: readonly (string | null)[];
  };
}

const STRING_COLUMNS = ['publisher', 'trustedPublisher', 'approver', 'deprecated', 'repository'] as const;
const FLAG_COLUMNS = ['provenance', 'hasInstallScript'] as const;
const HOOKS = ['preinstall', 'install', 'postinstall'] as const;

/** The entry as the text of its cache file. */
export function encodeCacheEntry(entry: CacheEntry): string {
  return JSON.stringify({ ...entry, history: encodeHistory(entry.history) });
}

function encodeHistory(history: PackageHistory): StoredHistory {
  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  const intern = (value: string | undefined): number => {
    if (value === undefined) return -1;
    let index = stringIndex.get(value);
    if (index === undefined) {
      index = strings.push(value) - 1;
      stringIndex.set(value, index);
    }
    return index;
  };
  const lists: number[][] = [];
  const listIndex = new Map<string, number>();
  const scripts: InstallScripts[] = [];
  const scriptIndex = new Map<string, number>();
  const tableIndex = <T>(table: T[], index: Map<string, number>, value: T | undefined, key: string): number => {
    if (value === undefined) return -1;
    let found = index.get(key);
    if (found === undefined) {
      found = table.push(value) - 1;
      index.set(key, found);
    }
    return found;
  };
  const versions = history.versions;
  const pattern = tarballPatternOf(versions);
  const column = <T>(read: (facts: VersionFacts) => T): T[] => versions.map(read);
  const flag = (value: boolean | undefined): number => (value === undefined ? -1 : value ? 1 : 0);
  const columns: StoredHistory['columns'] = {
    version: column((v) => v.version),
    publishedAt: column((v) => v.publishedAt ?? null),
    publisher: column((v) => intern(v.publisher)),
    trustedPublisher: column((v) => intern(v.trustedPublisher)),
    approver: column((v) => intern(v.approver)),
    deprecated: column((v) => intern(v.deprecated)),
    repository: column((v) => intern(v.repository)),
    maintainers: column((v) => {
      const ids = v.maintainers?.map((m) => intern(m));
      return tableIndex(lists, listIndex, ids, JSON.stringify(ids ?? null));
    }),
    installScripts: column((v) => tableIndex(scripts, scriptIndex, v.installScripts, JSON.stringify(HOOKS.map((hook) => v.installScripts?.[hook] ?? null)))),
    provenance: column((v) => flag(v.provenance)),
    hasInstallScript: column((v) => flag(v.hasInstallScript)),
    integrity: column((v) => v.integrity ?? null),
    tarball: column((v) => (v.tarball === undefined ? null : pattern !== undefined && v.tarball === `${pattern[0]}${v.version}${pattern[1]}` ? '' : v.tarball)),
  };
  const { name, distTags, removed, unpublished, hasPublisherData, hasMaintainerData } = history;
  return {
    name,
    distTags,
    removed,
    ...(unpublished === undefined ? {} : { unpublished }),
    hasPublisherData,
    hasMaintainerData,
    strings,
    lists,
    scripts,
    ...(pattern === undefined ? {} : { tarballPattern: pattern }),
    columns,
  };
}

/** The registry's tarball URL pattern, read from the first version whose URL contains its version. */
function tarballPatternOf(versions: readonly VersionFacts[]): [string, string] | undefined {
  for (const facts of versions) {
    const at = facts.tarball?.lastIndexOf(facts.version) ?? -1;
    if (facts.tarball !== undefined && at >= 0) return [facts.tarball.slice(0, at), facts.tarball.slice(at + facts.version.length)];
  }
  return undefined;
}

/**
 * Reads a cache file's text back into an entry for `name`. Undefined (a miss) when the text is not
 * JSON, not of this format version, for another package, or any field is out of shape: a wrong type,
 * a column of another length, an index outside its table.
 */
export function decodeCacheEntry(text: string, name: string, formatVersion: number): CacheEntry | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined; // the caller logs the miss; a cut-short file is an ordinary miss
  }
  if (!isRecord(value)) return undefined;
  const { etag, lastModified, fetchedAt, registry } = value;
  if (
    value['formatVersion'] !== formatVersion ||
    value['name'] !== name ||
    typeof registry !== 'string' ||
    !isOptionalString(etag) ||
    !isOptionalString(lastModified) ||
    typeof fetchedAt !== 'string' ||
    Number.isNaN(Date.parse(fetchedAt))
  ) {
    return undefined;
  }
  const history = decodeHistory(value['history'], name);
  if (history === undefined) return undefined;
  return {
    formatVersion: formatVersion as CacheEntry['formatVersion'],
    name,
    registry,
    ...(etag === undefined ? {} : { etag }),
    ...(lastModified === undefined ? {} : { lastModified }),
    fetchedAt,
    history,
  };
}

function decodeHistory(value: unknown, name: string): PackageHistory | undefined {
  if (!isRecord(value) || value['name'] !== name) return undefined;
  const { distTags, removed, unpublished, hasPublisherData, hasMaintainerData, strings, lists, scripts, tarballPattern, columns } = value;
  if (
    !isRecord(distTags) ||
    !Object.values(distTags).every((tag) => typeof tag === 'string') ||
    !Array.isArray(removed) ||
    !removed.every((r) => isRecord(r) && typeof r['version'] === 'string' && typeof r['publishedAt'] === 'string') ||
    !(unpublished === undefined || (isRecord(unpublished) && typeof unpublished['at'] === 'string' && isStringArray(unpublished['versions']))) ||
    typeof hasPublisherData !== 'boolean' ||
    typeof hasMaintainerData !== 'boolean' ||
    !isStringArray(strings) ||
    !Array.isArray(lists) ||
    !lists.every((list) => Array.isArray(list) && list.every((i) => isIndex(i, strings.length))) ||
    !Array.isArray(scripts) ||
    !scripts.every(isInstallScripts) ||
    !(tarballPattern === undefined || (Array.isArray(tarballPattern) && tarballPattern.length === 2 && isStringArray(tarballPattern))) ||
    !isRecord(columns)
  ) {
    return undefined;
  }
  const versions = decodeVersions(columns, strings, lists as number[][], scripts as InstallScripts[], tarballPattern as [string, string] | undefined);
  if (versions === undefined) return undefined;
  return {
    name,
    versions,
    removed: removed as PackageHistory['removed'],
    distTags: distTags as Record<string, string>,
    ...(unpublished === undefined ? {} : { unpublished: unpublished as PackageHistory['unpublished'] }),
    hasPublisherData,
    hasMaintainerData,
  };
}

function decodeVersions(
  columns: Readonly<Record<string, unknown>>,
  strings: readonly string[],
  lists: readonly number[][],
  scripts: readonly InstallScripts[],
  pattern: readonly [string, string] | undefined,
): VersionFacts[] | undefined {
  const version = columns['version'];
  if (!isStringArray(version)) return undefined;
  const n = version.length;
  const column = (key: string, accept: (item: unknown) => boolean): unknown[] | undefined => {
    const items = columns[key];
    return Array.isArray(items) && items.length === n && items.every(accept) ? items : undefined;
  };
  const publishedAt = column('publishedAt', (t) => t === null || typeof t === 'string');
  const integrity = column('integrity', (t) => t === null || typeof t === 'string');
  const tarball = column('tarball', (t) => t === null || (typeof t === 'string' && (t !== '' || pattern !== undefined)));
  const maintainers = column('maintainers', (i) => i === -1 || isIndex(i, lists.length));
  const installScripts = column('installScripts', (i) => i === -1 || isIndex(i, scripts.length));
  const byString = STRING_COLUMNS.map((key) => column(key, (i) => i === -1 || isIndex(i, strings.length)));
  const flags = FLAG_COLUMNS.map((key) => column(key, (f) => f === -1 || f === 0 || f === 1));
  if (publishedAt === undefined || integrity === undefined || tarball === undefined || maintainers === undefined || installScripts === undefined) return undefined;
  if (byString.some((c) => c === undefined) || flags.some((c) => c === undefined)) return undefined;
  const [publisher, trustedPublisher, approver, deprecated, repository] = byString as number[][];
  const [provenance, hasInstallScript] = flags as number[][];
  const text = (table: readonly number[], i: number): string | undefined => {
    const at = table[i] as number;
    return at === -1 ? undefined : strings[at];
  };
  // Shared lists become shared arrays: histories are read-only.
  const maintainerLists = lists.map((list) => list.map((i) => strings[i] as string));
  const versions: VersionFacts[] = [];
  for (let i = 0; i < n; i++) {
    const facts: { -readonly [K in keyof VersionFacts]: VersionFacts[K] } = { version: version[i] as string };
    // Fields in the order buildHistory writes them, so reports serialise the same either way.
    const published = publishedAt[i] as string | null;
    if (published !== null) facts.publishedAt = published;
    const by = text(publisher as number[], i);
    if (by !== undefined) facts.publisher = by;
    const trusted = text(trustedPublisher as number[], i);
    if (trusted !== undefined) facts.trustedPublisher = trusted;
    const approvedBy = text(approver as number[], i);
    if (approvedBy !== undefined) facts.approver = approvedBy;
    const list = maintainers[i] as number;
    if (list !== -1) facts.maintainers = maintainerLists[list];
    const attested = provenance?.[i] as number;
    if (attested !== -1) facts.provenance = attested === 1;
    const scriptSet = installScripts[i] as number;
    if (scriptSet !== -1) facts.installScripts = scripts[scriptSet];
    const flagged = hasInstallScript?.[i] as number;
    if (flagged !== -1) facts.hasInstallScript = flagged === 1;
    const notice = text(deprecated as number[], i);
    if (notice !== undefined) facts.deprecated = notice;
    const hash = integrity[i] as string | null;
    if (hash !== null) facts.integrity = hash;
    const url = tarball[i] as string | null;
    if (url !== null) facts.tarball = url === '' && pattern !== undefined ? `${pattern[0]}${facts.version}${pattern[1]}` : url;
    const repo = text(repository as number[], i);
    if (repo !== undefined) facts.repository = repo;
    versions.push(facts);
  }
  return versions;
}

function isInstallScripts(value: unknown): value is InstallScripts {
  return isRecord(value) && Object.entries(value).every(([key, script]) => (HOOKS as readonly string[]).includes(key) && typeof script === 'string');
}

function isIndex(value: unknown, length: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < length;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function isOptionalString(value: unknown): value is string | undefined {
  return value === undefined || typeof value === 'string';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
