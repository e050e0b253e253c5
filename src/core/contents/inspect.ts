/** Inspects a published version's contents against an earlier one: packument, tarballs (verified, in memory), summaries (cached by integrity), content rules. */

import semver from 'semver';
import { buildHistory, findVersion, releaseLine } from '../history';
import { isIgnored } from '../policy';
import { fetchPackument, type RegistryFetch } from '../registry/fetch-packument';
import { checkPackageName } from '../registry/package-name';
import { packumentUrl, pickRegistry, redactText, registryHost } from '../registry/registry-url';
import { predecessor } from '../rules/support/install-scripts';
import type { AuditError, Finding, PackageHistory, Policy } from '../types';
import { compareTarballs } from './compare';
import { fetchTarball, loadRegistryFetch } from './fetch-tarball';
import { extractFileText, type FileText } from './file-text';
import { loadJsParser, type JsParser } from './load-js-parser';
import { readPublishedVersion, type PublishedVersion } from './published';
import { contentsRules } from './rules';
import { SummaryCache } from './summary-cache';
import { createKeepPolicy, summarizeFiles } from './summarize';
import { DEFAULT_TAR_LIMITS, readTarball, type TarLimits } from './tar';
import type { ContentsDiff, ContentsRuleInput, InspectedTarball, TarballSummary } from './types';

export const DEFAULT_INSPECT_TIMEOUT_MS = 60_000;
/** Packuments are reused this long (several versions of one package in an audit), then fetched again for new versions. */
const PACKUMENT_TTL_MS = 5 * 60_000;
const MAX_PACKUMENTS = 8;

export interface InspectOptions {
  /** Default registry URL; `scopes` and `@scope:registry` in `npmOptions` pick others, as for histories. */
  readonly registry: string;
  readonly scopes?: Readonly<Record<string, string>>;
  /** npm-registry-fetch options (auth as nerf-dart keys, proxy, CA), sent only where they belong. */
  readonly npmOptions?: Readonly<Record<string, unknown>>;
  /** The CLI's cache folder: summaries go to `<cacheDir>/contents/`. */
  readonly cacheDir?: string;
  readonly timeoutMs?: number;
  /** Severity overrides and ignores, as for the other rules. */
  readonly policy?: Pick<Policy, 'severities' | 'ignore'>;
}

export interface InspectDeps {
  readonly loadFetch?: () => Promise<RegistryFetch>;
  readonly loadParser?: () => Promise<JsParser>;
  readonly tarLimits?: TarLimits;
  readonly log?: (message: string) => void;
}

/** The result for one version: what changed, the content findings, and why anything was not inspected. */
export interface PackageInspection {
  readonly package: string;
  readonly version: string;
  /** The version compared with; absent for a first release or when none could be chosen. */
  readonly previousVersion?: string;
  readonly diff?: ContentsDiff;
  /** File count and unpacked size of each side, when inspected. */
  readonly sizes?: { readonly before?: { files: number; bytes: number }; readonly after: { files: number; bytes: number } };
  readonly findings: readonly Finding[];
  /** `not-found`, `not-inspected`, `registry`: each names the package and says what to do. */
  readonly errors: readonly AuditError[];
}

export interface Inspector {
  /** Inspects `name@version` against `against` (default: the release it followed). Rejects only when `signal` aborts. */
  inspect(name: string, version: string, against?: string, signal?: AbortSignal): Promise<PackageInspection>;
  /**
   * One file of `name@version` as text, from its tarball fetched from the registry and verified (as
   * for `inspect`), read in memory with the same caps; a note when it cannot be shown. Rejects only
   * when `signal` aborts.
   */
  readFile(name: string, version: string, path: string, signal?: AbortSignal): Promise<FileText>;
}

/** Tarballs kept in memory for readFile (both sides of a comparison), by integrity. */
const MAX_KEPT_TARBALLS = 2;

interface PackumentFacts {
  readonly doc: unknown;
  readonly history: PackageHistory;
}

/** Creates an inspector; packuments are fetched once per name and tarball summaries cached by integrity. */
export function createInspector(options: InspectOptions, deps: InspectDeps = {}): Inspector {
  const log = deps.log ?? (() => undefined);
  const cache = new SummaryCache({ ...(options.cacheDir === undefined ? {} : { dir: options.cacheDir }), log });
  const timeoutMs = options.timeoutMs ?? DEFAULT_INSPECT_TIMEOUT_MS;
  const packuments = new Map<string, { readonly at: number; readonly facts: Promise<PackumentFacts | AuditError> }>();
  let fetchModule: Promise<RegistryFetch> | undefined;
  const loadFetch = (): Promise<RegistryFetch> => (fetchModule ??= (deps.loadFetch ?? loadRegistryFetch)());

  const getPackument = (name: string, signal?: AbortSignal): Promise<PackumentFacts | AuditError> => {
    const known = packuments.get(name);
    if (known !== undefined && Date.now() - known.at < PACKUMENT_TTL_MS) return known.facts;
    const facts = fetchDocument(name, signal).catch((error: unknown) => {
      packuments.delete(name);
      throw error;
    });
    packuments.delete(name);
    packuments.set(name, { at: Date.now(), facts });
    // Failures are answers for this call only; a later call asks again.
    void facts.then((result) => {
      if (!('history' in result) && packuments.get(name)?.facts === facts) packuments.delete(name);
    }, () => undefined);
    // Whole packuments can be ~10 MB: keep only the few most recent (the editor's inspector lives long).
    while (packuments.size > MAX_PACKUMENTS) packuments.delete(packuments.keys().next().value ?? '');
    return facts;
  };

  const fetchDocument = async (name: string, signal?: AbortSignal): Promise<PackumentFacts | AuditError> => {
    const registry = pickRegistry(name, options);
    const host = registryHost(registry);
    let fetch: RegistryFetch;
    try {
      fetch = await loadFetch();
    } catch (error) {
      fetchModule = undefined; // let a later call try again
      return { kind: 'registry', package: name, message: `${name}: the registry client could not be loaded (${redactText(String(error))}); its contents were not inspected.` };
    }
    const { outcome } = await fetchPackument(
      {
        url: packumentUrl(registry, name),
        timeoutMs,
        retries: 2,
        ...(signal === undefined ? {} : { signal }),
        ...(options.npmOptions === undefined ? {} : { npmOptions: options.npmOptions }),
      },
      { fetch, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)), random: Math.random, now: () => new Date() },
    );
    if (outcome.kind !== 'document') {
      const detail = outcome.kind === 'http-error' ? `HTTP ${outcome.status}` : outcome.kind === 'network-error' ? redactText(outcome.message) : outcome.kind;
      const kind = outcome.kind === 'http-error' && outcome.status === 404 ? 'not-found' : 'registry';
      return { kind, package: name, message: `${name}: ${host} answered ${detail}; its contents were not inspected.` };
    }
    let doc: unknown;
    try {
      doc = JSON.parse(outcome.text);
    } catch (error) {
      return { kind: 'registry', package: name, message: `${name}: ${host} sent a packument that is not JSON (${String(error)}).` };
    }
    const built = buildHistory(name, doc);
    if (!built.ok) return { kind: 'registry', package: name, message: `${name}: ${built.message}` };
    return { doc, history: built.history };
  };

  const summaryOf = async (name: string, version: string, published: PublishedVersion, signal?: AbortSignal): Promise<TarballSummary> => {
    const integrity = published.integrity;
    if (integrity === undefined) {
      return { status: 'not-inspected', integrity: '', problem: 'integrity', reason: `the registry publishes no integrity for ${name}@${version}, so its tarball cannot be verified` };
    }
    const cached = await cache.get(integrity);
    if (cached !== undefined) return cached;
    const fetched = await fetchTarball(
      {
        name,
        version,
        registry: pickRegistry(name, options),
        ...(published.tarball === undefined ? {} : { tarball: published.tarball }),
        integrity,
        timeoutMs,
        ...(signal === undefined ? {} : { signal }),
        ...(options.npmOptions === undefined ? {} : { npmOptions: options.npmOptions }),
      },
      await loadFetch(),
    );
    // Download failures are not cached: the next run tries again.
    if (!fetched.ok) return { status: 'not-inspected', integrity, problem: fetched.problem, reason: fetched.message };
    const read = await readTarball(fetched.data, createKeepPolicy(), deps.tarLimits ?? DEFAULT_TAR_LIMITS);
    const summary: TarballSummary = read.ok
      ? summarizeFiles(read.files, integrity, await (deps.loadParser ?? loadJsParser)())
      : { status: 'not-inspected', integrity, problem: read.problem, reason: read.message };
    await cache.set(summary);
    return summary;
  };

  const tarballs = new Map<string, Buffer>();
  const verifiedTarball = async (name: string, version: string, signal?: AbortSignal): Promise<Buffer | string> => {
    const invalid = checkPackageName(name);
    if (invalid !== undefined) return `${JSON.stringify(name)} is not a package name: ${invalid}`;
    const facts = await getPackument(name, signal);
    if (!('history' in facts)) return facts.message;
    const published = readPublishedVersion(facts.doc, version);
    if (published === undefined) return `${name}@${version} is not in the registry`;
    if (published.integrity === undefined) return `the registry publishes no integrity for ${name}@${version}, so its tarball cannot be verified`;
    const kept = tarballs.get(published.integrity);
    if (kept !== undefined) return kept;
    const fetched = await fetchTarball(
      {
        name,
        version,
        registry: pickRegistry(name, options),
        ...(published.tarball === undefined ? {} : { tarball: published.tarball }),
        integrity: published.integrity,
        timeoutMs,
        ...(signal === undefined ? {} : { signal }),
        ...(options.npmOptions === undefined ? {} : { npmOptions: options.npmOptions }),
      },
      await loadFetch(),
    );
    if (!fetched.ok) return fetched.message;
    tarballs.set(published.integrity, fetched.data);
    while (tarballs.size > MAX_KEPT_TARBALLS) tarballs.delete(tarballs.keys().next().value ?? '');
    return fetched.data;
  };

  return {
    async readFile(name, version, path, signal) {
      const label = `${name}@${version}/${path}`;
      const tarball = await verifiedTarball(name, version, signal);
      signal?.throwIfAborted();
      if (typeof tarball === 'string') return { kind: 'note', reason: 'refused', text: `(${label} is not shown: ${tarball}.)` };
      return extractFileText(tarball, path, { label, ...(deps.tarLimits === undefined ? {} : { limits: deps.tarLimits }) });
    },

    async inspect(name, version, against, signal) {
      const invalid = checkPackageName(name);
      if (invalid !== undefined) return failed(name, version, { kind: 'usage', package: name, message: `${JSON.stringify(name)} is not a package name: ${invalid}.` });
      const facts = await getPackument(name, signal);
      signal?.throwIfAborted();
      if (!('history' in facts)) return failed(name, version, facts);
      const after = readPublishedVersion(facts.doc, version);
      if (after === undefined || findVersion(facts.history, version) === undefined) {
        return failed(name, version, { kind: 'not-found', package: `${name}@${version}`, message: `${name}@${version} is not in the registry; nothing to inspect.` });
      }
      const previous = choosePrevious(facts.history, version, against);
      if (typeof previous === 'string') return failed(name, version, { kind: 'not-found', package: `${name}@${against ?? ''}`, message: previous });
      const beforePublished = previous === undefined ? undefined : readPublishedVersion(facts.doc, previous.version);

      const [afterSummary, beforeSummary] = await Promise.all([
        summaryOf(name, version, after, signal),
        beforePublished === undefined || previous === undefined ? Promise.resolve(undefined) : summaryOf(name, previous.version, beforePublished, signal),
      ]);
      signal?.throwIfAborted();
      const errors: AuditError[] = [];
      const notInspected = (v: string, summary: TarballSummary): void => {
        if (summary.status === 'not-inspected') {
          errors.push({ kind: 'not-inspected', package: `${name}@${v}`, message: `${name}@${v}: not inspected: ${summary.reason}.` });
        }
      };
      notInspected(version, afterSummary);
      if (beforeSummary !== undefined && previous !== undefined) notInspected(previous.version, beforeSummary);
      const base = { package: name, version, ...(previous === undefined ? {} : { previousVersion: previous.version }) };
      if (afterSummary.status !== 'ok') return { ...base, findings: [], errors };
      const before: InspectedTarball | undefined = beforeSummary?.status === 'ok' ? beforeSummary : undefined;
      const diff = compareTarballs(before, afterSummary, after.manifest);
      const input: ContentsRuleInput = {
        name,
        version,
        ...(previous === undefined || before === undefined ? {} : { previous }),
        ...(before === undefined ? {} : { before }),
        after: afterSummary,
        diff,
        published: after.manifest,
      };
      const findings = contentsRules
        .flatMap((rule) => rule.check(input))
        .map((finding) => applyPolicy(finding, options.policy))
        .filter((finding): finding is Finding => finding !== undefined)
        .sort((a, b) => rank(a) - rank(b) || a.rule.localeCompare(b.rule));
      return { ...base, diff, sizes: { ...(before === undefined ? {} : { before: sizeOf(before) }), after: sizeOf(afterSummary) }, findings, errors };
    },
  };
}

/** The version to compare with: `against` when given (it must exist), else the release `version` followed. */
function choosePrevious(history: PackageHistory, version: string, against: string | undefined): { version: string; sameLine: boolean } | string | undefined {
  if (against === undefined) {
    const found = predecessor(history, version);
    return found === undefined ? undefined : { version: found.facts.version, sameLine: found.sameLine };
  }
  if (findVersion(history, against) === undefined) return `${history.name}@${against} is not in the registry; choose another --against version.`;
  const sameLine = releaseLine(against) === releaseLine(version) && semver.valid(against) !== null && semver.valid(version) !== null && semver.lt(against, version);
  return { version: against, sameLine };
}

function failed(name: string, version: string, error: AuditError): PackageInspection {
  return { package: name, version, findings: [], errors: [error] };
}

function sizeOf(tarball: InspectedTarball): { files: number; bytes: number } {
  return { files: tarball.files.length, bytes: tarball.files.reduce((sum, file) => sum + file.size, 0) };
}

function applyPolicy(finding: Finding, policy: InspectOptions['policy']): Finding | undefined {
  if (policy === undefined) return finding;
  if (isIgnored(policy as Policy, finding.rule, finding.package, finding.version)) return undefined;
  const level = policy.severities[finding.rule];
  if (level === 'off') return undefined;
  return level === undefined ? finding : { ...finding, severity: level };
}

function rank(finding: Finding): number {
  return finding.severity === 'error' ? 0 : finding.severity === 'warning' ? 1 : 2;
}
