/** Narrows an untrusted npm packument (full or abbreviated) into a PackageHistory, and answers the questions rules ask of one. */

import semver from 'semver';
import type { InstallScripts, PackageHistory, TrustLevel, VersionFacts } from './types';

type Json = Readonly<Record<string, unknown>>;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export type BuildHistoryResult = { readonly ok: true; readonly history: PackageHistory } | { readonly ok: false; readonly message: string };

/** The install-time lifecycle hooks, in the order npm runs them. */
export const INSTALL_HOOKS = ['preinstall', 'install', 'postinstall'] as const;
export type InstallHook = (typeof INSTALL_HOOKS)[number];

/** Script text and deprecation messages longer than this are cut (with a length and hash, so changes stay visible). */
const MAX_TEXT = 4096;
/** User names, tags and versions longer than this are dropped: no real one comes close. */
const MAX_NAME = 256;
const MAX_URL = 2048;
const MAX_LIST = 256;
/** Keys of `time` that are not versions. */
const TIME_META = new Set(['created', 'modified', 'unpublished']);
/** Fields npm's abbreviated (corgi) format never carries: one on any version means a full document. */
const FULL_ONLY = ['_id', '_npmUser', '_npmVersion', '_nodeVersion', 'scripts', 'maintainers', 'gitHead', 'gypfile'];
/** Registry times: `2025-08-04T04:18:16.197Z`, and the mirror form `2025-08-04T04:18:16.197000+00:00`. */
const TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads an own property only, so `constructor` or `__proto__` never resolve to Object.prototype members. */
function own(value: unknown, key: string): unknown {
  return isRecord(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

function shortString(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value.trim() !== '' && value.length <= max ? value : undefined;
}

/** FNV-1a, enough to tell two cut texts apart; not a security hash. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}

function longText(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  if (value.length <= MAX_TEXT) return value;
  return `${value.slice(0, MAX_TEXT)}… [cut: ${value.length} chars, fnv1a ${fnv1a(value)}]`;
}

/** Drops undefined fields, so results compare equal to literals and serialise the same. */
function defined<T extends object>(value: T): T {
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) if (item !== undefined) result[key] = item;
  return result as T;
}

/**
 * Shares equal values between the versions of one package: a packument repeats its maintainers,
 * repository and install scripts on every version, and a history of thousands of versions would
 * otherwise hold thousands of copies (histories are read-only, so sharing is safe).
 */
function createInterner(): (facts: VersionFacts) => VersionFacts {
  const strings = new Map<string, string>();
  const lists = new Map<string, readonly string[]>();
  const scripts = new Map<string, InstallScripts>();
  const text = (value: string | undefined): string | undefined => {
    if (value === undefined) return undefined;
    const known = strings.get(value);
    if (known !== undefined) return known;
    strings.set(value, value);
    return value;
  };
  const shared = <T>(table: Map<string, T>, key: string, value: T): T => {
    const known = table.get(key);
    if (known !== undefined) return known;
    table.set(key, value);
    return value;
  };
  return (facts) => {
    const result = facts as Mutable<VersionFacts>; // fresh from readVersion, so changed in place
    if (facts.publisher !== undefined) result.publisher = text(facts.publisher);
    if (facts.repository !== undefined) result.repository = text(facts.repository);
    if (facts.deprecated !== undefined) result.deprecated = text(facts.deprecated);
    if (facts.maintainers !== undefined) result.maintainers = shared(lists, JSON.stringify(facts.maintainers), facts.maintainers);
    if (facts.installScripts !== undefined) {
      result.installScripts = shared(scripts, JSON.stringify(INSTALL_HOOKS.map((hook) => facts.installScripts?.[hook] ?? null)), facts.installScripts);
    }
    return result;
  };
}

/**
 * Normalises a registry time to ISO-8601 UTC with milliseconds (`...T04:18:16.197Z`).
 * Returns undefined for anything that is not a real calendar time.
 */
export function normaliseTime(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 40) return undefined;
  const match = TIME.exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, frac = '', zone = 'Z'] = match;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number);
  const local = Date.UTC(year, month - 1, day, hour, minute, second, Number(frac.padEnd(3, '0').slice(0, 3)));
  const check = new Date(local);
  // Date.UTC rolls 2025-02-30 over into March; a time that does not round-trip is not a time.
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const offset = zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  return new Date(local - offset * 60_000).toISOString();
}

function isVersion(key: string): boolean {
  return key.length <= MAX_NAME && /^\d/.test(key) && semver.valid(key) !== null;
}

function readScripts(manifest: Json, full: boolean): InstallScripts | undefined {
  const scripts = own(manifest, 'scripts');
  if (!isRecord(scripts) && !full) return undefined;
  const result: Mutable<InstallScripts> = {};
  for (const hook of INSTALL_HOOKS) {
    const text = longText(own(scripts, hook));
    if (text !== undefined) result[hook] = text;
  }
  // npm runs `node-gyp rebuild` as `install` when the package has binding.gyp and no install/preinstall of its own.
  if (own(manifest, 'gypfile') === true && result.install === undefined && result.preinstall === undefined) {
    result.install = 'node-gyp rebuild';
  }
  return result;
}

function readNames(value: unknown): readonly string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  // Very old documents list maintainers as `name <email>` strings.
  const names = value.slice(0, MAX_LIST).map((m) => shortString(own(m, 'name'), MAX_NAME) ?? shortString(typeof m === 'string' ? m.split(' <')[0] : undefined, MAX_NAME));
  return [...new Set(names.filter((n): n is string => n !== undefined))];
}

function readRepository(value: unknown): string | undefined {
  return shortString(value, MAX_URL) ?? shortString(own(value, 'url'), MAX_URL);
}

function readVersion(version: string, manifest: Json, publishedAt: string | undefined, full: boolean): VersionFacts {
  const user = own(manifest, '_npmUser');
  const dist = own(manifest, 'dist');
  const flag = own(manifest, 'hasInstallScript');
  return defined<VersionFacts>({
    version,
    publishedAt,
    publisher: shortString(own(user, 'name'), MAX_NAME),
    trustedPublisher: shortString(own(own(user, 'trustedPublisher'), 'id'), MAX_NAME),
    approver: shortString(own(own(user, 'approver'), 'name'), MAX_NAME),
    maintainers: readNames(own(manifest, 'maintainers')),
    provenance: isRecord(dist) ? isRecord(own(own(dist, 'attestations'), 'provenance')) : undefined,
    installScripts: readScripts(manifest, full),
    // The abbreviated format sets the flag only when true, so its absence there means false.
    hasInstallScript: typeof flag === 'boolean' ? flag : full ? undefined : false,
    deprecated: longText(own(manifest, 'deprecated')),
    integrity: shortString(own(dist, 'integrity'), MAX_URL),
    tarball: shortString(own(dist, 'tarball'), MAX_URL),
    repository: readRepository(own(manifest, 'repository')),
  });
}

/** Publish order: versions without a time first (by semver), then by time, ties by semver. */
function byPublishOrder(a: { version: string; publishedAt?: string }, b: { version: string; publishedAt?: string }): number {
  if (a.publishedAt !== b.publishedAt) {
    if (a.publishedAt === undefined) return -1;
    if (b.publishedAt === undefined) return 1;
    return a.publishedAt < b.publishedAt ? -1 : 1;
  }
  return semver.compareBuild(a.version, b.version);
}

function readUnpublished(time: unknown): PackageHistory['unpublished'] {
  const record = own(time, 'unpublished');
  if (!isRecord(record)) return undefined;
  const listed = own(record, 'versions');
  const versions = Array.isArray(listed) ? listed.slice(0, MAX_LIST * 16).filter((v): v is string => typeof v === 'string' && isVersion(v)) : [];
  return { at: normaliseTime(own(record, 'time')) ?? normaliseTime(own(time, 'modified')) ?? '', versions };
}

/**
 * Extracts the facts the rules need from a packument as the registry sent it (parsed JSON, untrusted).
 * Accepts the full and the abbreviated format and mirror variants; never throws. Fails only when the
 * document is not a packument for `name` at all: not an object, another package's, or without versions;
 * the message is then a short phrase for the caller to embed ("p: the registry sent an unusable packument (…)").
 */
export function buildHistory(name: string, doc: unknown): BuildHistoryResult {
  if (!isRecord(doc)) return { ok: false, message: 'not a JSON object' };
  const docName = own(doc, 'name');
  if (typeof docName === 'string' && docName !== name) {
    return { ok: false, message: `the document is for ${JSON.stringify(docName.slice(0, MAX_NAME))}, not ${name}` };
  }
  const time = own(doc, 'time');
  const rawVersions = own(doc, 'versions');
  const unpublished = readUnpublished(time);
  if (!isRecord(rawVersions) && unpublished === undefined) {
    return { ok: false, message: 'no `versions` and no unpublished record' };
  }
  const entries = Object.entries(isRecord(rawVersions) ? rawVersions : {}).filter(
    (entry): entry is [string, Json] => isVersion(entry[0]) && isRecord(entry[1]),
  );
  const full = entries.some(([, manifest]) => FULL_ONLY.some((key) => Object.hasOwn(manifest, key)));
  const intern = createInterner();
  const versions = entries
    .map(([version, manifest]) => intern(readVersion(version, manifest, normaliseTime(own(time, version)), full)))
    .sort(byPublishOrder);
  const present = new Set(entries.map(([version]) => version));
  const removed = Object.keys(isRecord(time) ? time : {})
    .filter((key) => !TIME_META.has(key) && !present.has(key) && isVersion(key))
    .flatMap((version) => {
      const publishedAt = normaliseTime(own(time, version));
      return publishedAt === undefined ? [] : [{ version, publishedAt }];
    })
    .sort(byPublishOrder);
  const tags = own(doc, 'dist-tags');
  const distTags = Object.fromEntries(
    Object.entries(isRecord(tags) ? tags : {}).filter(
      (entry): entry is [string, string] =>
        entry[0].length <= MAX_NAME && entry[0] !== '__proto__' && typeof entry[1] === 'string' && isVersion(entry[1]),
    ),
  );
  const history: PackageHistory = defined<PackageHistory>({
    name,
    versions,
    removed,
    distTags,
    // A package that has live versions again is not unpublished, whatever an old marker says.
    unpublished: versions.length === 0 ? unpublished : undefined,
    hasPublisherData: versions.some((v) => v.publisher !== undefined),
    hasMaintainerData: versions.some((v) => v.maintainers !== undefined),
  });
  return { ok: true, history };
}

/** The facts for one version, or undefined when the registry no longer has it. */
export function findVersion(history: PackageHistory, version: string): VersionFacts | undefined {
  return history.versions.find((v) => v.version === version);
}

/** Digits-only `major.minor.patch`: never a prerelease, whether semver accepts it or not (a leading zero). */
const PLAIN_VERSION = /^\d+\.\d+\.\d+$/;
/** Answers for other strings (canaries, betas): rules ask about every version of a history for every locked package. */
const prereleaseSeen = new Map<string, boolean>();

export function isPrerelease(version: string): boolean {
  if (PLAIN_VERSION.test(version)) return false;
  let answer = prereleaseSeen.get(version);
  if (answer === undefined) {
    answer = (semver.prerelease(version)?.length ?? 0) > 0;
    if (prereleaseSeen.size >= 50_000) prereleaseSeen.clear();
    prereleaseSeen.set(version, answer);
  }
  return answer;
}

/** The line a caret range stays on: the major for 1.x and above, the minor for 0.x (`1`, `0.3`). */
export function releaseLine(version: string): string | undefined {
  const parsed = semver.parse(version);
  return parsed ? lineOf(parsed) : undefined;
}

/** Walks back from `version` in publish order; each candidate is parsed once (rules call this for every locked package). */
function previousWhere(history: PackageHistory, version: string, accept: (candidate: semver.SemVer) => boolean): VersionFacts | undefined {
  const index = history.versions.findIndex((v) => v.version === version);
  const pre = isPrerelease(version);
  let target: semver.SemVer | undefined;
  for (let i = index - 1; i >= 0; i--) {
    const candidate = history.versions[i];
    if (candidate === undefined) continue;
    if (!pre && isPrerelease(candidate.version)) continue;
    // As semver.lt: an invalid version on either side throws its TypeError.
    target ??= new semver.SemVer(version);
    const candidateVersion = new semver.SemVer(candidate.version);
    if (candidateVersion.compare(target) < 0 && accept(candidateVersion)) return candidate;
  }
  return undefined;
}

function lineOf(parsed: semver.SemVer): string {
  return parsed.major > 0 ? `${parsed.major}` : `0.${parsed.minor}`;
}

/**
 * The release that `version` followed on its own line: the latest published before it that is lower
 * and on the same major (same minor for 0.x); prereleases count only when `version` is one.
 * Undefined when `version` is absent, or the first of its line.
 */
export function previousRelease(history: PackageHistory, version: string): VersionFacts | undefined {
  const line = releaseLine(version);
  return previousWhere(history, version, (candidate) => lineOf(candidate) === line);
}

/** Like previousRelease, but on any line: what a new major is compared with. */
export function previousAnyLine(history: PackageHistory, version: string): VersionFacts | undefined {
  return previousWhere(history, version, () => true);
}

const TRUST_RANK: Readonly<Record<TrustLevel, number>> = { none: 0, provenance: 1, 'trusted-publisher': 2, staged: 3 };

/**
 * How strongly a publish is vouched for, as pnpm's `trustPolicy: no-downgrade` ranks it:
 * an approver (staged publish) > trusted publisher with provenance > provenance > none.
 * pnpm ignores a trusted publisher without provenance, and so do we.
 */
export function trustLevel(facts: VersionFacts): TrustLevel {
  if (facts.approver !== undefined) return 'staged';
  if (facts.provenance === true) return facts.trustedPublisher !== undefined ? 'trusted-publisher' : 'provenance';
  return 'none';
}

export function trustRank(level: TrustLevel): number {
  return TRUST_RANK[level];
}

/** Does the version run an install-time script? Undefined when the registry did not say. */
export function hasInstallScripts(facts: VersionFacts): boolean | undefined {
  if (INSTALL_HOOKS.some((hook) => facts.installScripts?.[hook] !== undefined)) return true;
  // A flag from the registry outranks an empty script list (a mirror may mix the two formats).
  if (facts.hasInstallScript !== undefined) return facts.hasInstallScript;
  return facts.installScripts === undefined ? undefined : false;
}

/**
 * Glob matching in O(pattern × name), without building a RegExp: a pattern from a hostile .npmrc
 * (`*a*a*a*…`) cannot make it backtrack. `*` and `?` stay within a path segment, `**` crosses them.
 */
function globMatches(glob: string, name: string): boolean {
  let reach: boolean[] = Array.from({ length: name.length + 1 }, (_, i) => i === 0);
  for (const token of glob.match(/\*\*|\*|\?|[^*?]/g) ?? []) {
    const next: boolean[] = new Array<boolean>(name.length + 1).fill(false);
    let open = false;
    for (let j = 0; j <= name.length; j++) {
      if (token === '*' || token === '**') {
        if (token === '*' && j > 0 && name[j - 1] === '/') open = false;
        open ||= reach[j] === true;
        next[j] = open;
      } else if (j > 0 && reach[j - 1] === true) {
        const char = name[j - 1];
        next[j] = token === '?' ? char !== '/' : char === token;
      }
    }
    reach = next;
  }
  return reach[name.length] === true;
}

/**
 * Does `name` match one of npm's `min-release-age-exclude` patterns? Patterns are names or globs:
 * `*` and `?` stay within one path segment (`@myorg/*`), `**` crosses them.
 */
export function isExcluded(name: string, globs: readonly string[]): boolean {
  return globs.some((glob) => glob === name || (/[*?]/.test(glob) && glob.length <= MAX_NAME && globMatches(glob, name)));
}
