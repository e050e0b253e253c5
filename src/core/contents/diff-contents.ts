/** Runs content inspection for a dependency review (`diff --contents`): each new version against the version its change replaces. */

import semver from 'semver';
import type { PackageChange } from '../review/types';
import type { AuditError, Finding } from '../types';
import type { ContentsSelection } from './audit-contents';
import type { Inspector } from './inspect';

/** How many versions are inspected at once: each may download two tarballs. */
const CONCURRENCY = 4;

/** Changes that replace one registry version with another: the content is compared with `from`. */
const REPLACING = new Set(['upgraded', 'downgraded', 'changed']);
/** Changes that bring a version in without replacing one: compared with the release it followed. */
const ADDING = new Set(['added', 'added-alongside']);

/** One inspection: a new version and what to compare it with (undefined: the registry predecessor). */
export interface ContentsTarget {
  readonly name: string;
  readonly version: string;
  readonly against?: string;
  /** The change it came from (the first, when several lockfiles bring in the same version). */
  readonly change: PackageChange;
}

/**
 * The versions a review inspects: every registry version a change brings in that has an error or
 * warning finding from another rule, and with `all` every new direct version too. A replacement
 * (`upgraded`, `downgraded`, `changed`) is compared with the version it replaces; an addition with
 * the release it followed. Sorted by name and version; one target per name, version and comparison.
 */
export function contentsTargets(changes: readonly PackageChange[], findings: readonly Finding[], selection: ContentsSelection): ContentsTarget[] {
  const flagged = new Set(findings.filter((f) => f.severity !== 'info' && f.version !== '').map((f) => `${f.package}@${f.version}`));
  const targets = new Map<string, ContentsTarget>();
  for (const change of changes) {
    if (change.to === undefined || change.source !== 'registry' || semver.valid(change.to) === null) continue;
    if (!REPLACING.has(change.kind) && !ADDING.has(change.kind)) continue;
    if (!flagged.has(`${change.name}@${change.to}`) && !(selection === 'all' && change.direct)) continue;
    const against = REPLACING.has(change.kind) && change.from !== undefined && semver.valid(change.from) !== null ? change.from : undefined;
    const key = `${change.name}@${change.to}@${against ?? ''}`;
    if (!targets.has(key)) targets.set(key, { name: change.name, version: change.to, ...(against === undefined ? {} : { against }), change });
  }
  return [...targets.values()].sort((a, b) => (a.name === b.name ? semverOrder(a.version, b.version) : a.name < b.name ? -1 : 1));
}

/**
 * Inspects the review's targets with `inspector` and returns the content findings, each placed where
 * the version's first finding is (or at its change's lockfile entry), and the errors, each naming the
 * version. One failure never stops the others. Rejects only when `signal` aborts.
 */
export async function inspectReviewChanges(
  changes: readonly PackageChange[],
  findings: readonly Finding[],
  selection: ContentsSelection,
  inspector: Inspector,
  options: { readonly signal?: AbortSignal; readonly onProgress?: (p: { phase: string; done: number; total: number }) => void } = {},
): Promise<{ findings: Finding[]; errors: AuditError[] }> {
  const anchors = new Map<string, Finding>();
  for (const finding of findings) {
    const key = `${finding.package}@${finding.version}`;
    if (finding.severity !== 'info' && !anchors.has(key)) anchors.set(key, finding);
  }
  const targets = contentsTargets(changes, findings, selection);
  const queue = [...targets];
  const results: Array<{ findings: Finding[]; errors: AuditError[] }> = [];
  let done = 0;
  options.onProgress?.({ phase: 'contents', done, total: targets.length });
  const worker = async (): Promise<void> => {
    for (let target = queue.shift(); target !== undefined; target = queue.shift()) {
      const index = targets.indexOf(target);
      const result = await inspector.inspect(target.name, target.version, target.against, options.signal);
      const anchor = anchors.get(`${target.name}@${target.version}`);
      const location = anchor?.location ?? target.change.location;
      results[index] = {
        findings: result.findings.map((finding) => place(finding, anchor, target.change)),
        errors: result.errors.map((error) => (location === undefined || error.location !== undefined ? error : { ...error, location })),
      };
      options.onProgress?.({ phase: 'contents', done: ++done, total: targets.length });
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, worker));
  // In target order, whatever order the inspections finished in: the report is deterministic.
  return { findings: results.flatMap((r) => r?.findings ?? []), errors: results.flatMap((r) => r?.errors ?? []) };
}

function place(finding: Finding, anchor: Finding | undefined, change: PackageChange): Finding {
  const location = anchor?.location ?? change.location;
  const via = anchor?.via ?? change.via;
  const workspace = anchor?.workspace ?? change.workspace;
  return {
    ...finding,
    ...(location === undefined ? {} : { location }),
    ...(via === undefined ? {} : { via }),
    ...(workspace === undefined ? {} : { workspace }),
    ...(anchor?.lockfileLocation === undefined ? {} : { lockfileLocation: anchor.lockfileLocation }),
  };
}

function semverOrder(a: string, b: string): number {
  return semver.compare(a, b);
}
