/** Runs content inspection for an audit's flagged versions (or every direct dependency) and returns findings placed like the audit's own. */

import type { AuditError, AuditReport, Finding } from '../types';
import type { Inspector } from './inspect';

export type ContentsSelection = 'flagged' | 'all';

/** How many packages are inspected at once: each may download two tarballs. */
const CONCURRENCY = 4;

/**
 * The versions to inspect: those with an error or warning finding from another rule, and with `all`
 * every checked direct dependency as well. Each content finding takes the location, `via`,
 * workspace and lockfile location of the version's first finding (or none for a direct dependency
 * that had no finding). Errors name the version and say why it was not inspected; one failure never
 * stops the others. Rejects only when `signal` aborts.
 */
export async function inspectAuditReport(
  report: AuditReport,
  selection: ContentsSelection,
  inspector: Inspector,
  options: { readonly signal?: AbortSignal; readonly onProgress?: (p: { phase: string; done: number; total: number }) => void } = {},
): Promise<{ findings: Finding[]; errors: AuditError[] }> {
  const placed = new Map<string, Finding>();
  for (const finding of report.findings) {
    const key = `${finding.package}@${finding.version}`;
    if (finding.severity !== 'info' && !placed.has(key)) placed.set(key, finding);
  }
  const targets = new Map<string, { name: string; version: string }>();
  for (const finding of placed.values()) targets.set(`${finding.package}@${finding.version}`, { name: finding.package, version: finding.version });
  if (selection === 'all') {
    for (const pkg of report.packages) if (pkg.direct && pkg.checked && pkg.version !== '') targets.set(`${pkg.name}@${pkg.version}`, { name: pkg.name, version: pkg.version });
  }
  const queue = [...targets.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  const findings: Finding[] = [];
  const errors: AuditError[] = [];
  let done = 0;
  options.onProgress?.({ phase: 'contents', done, total: queue.length });
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const [key, target] = next;
      const result = await inspector.inspect(target.name, target.version, undefined, options.signal);
      const anchor = placed.get(key);
      for (const finding of result.findings) findings.push(anchor === undefined ? finding : placeLike(finding, anchor));
      errors.push(...result.errors.map((error) => (anchor?.location === undefined ? error : { ...error, location: anchor.location })));
      options.onProgress?.({ phase: 'contents', done: ++done, total: targets.size });
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, queue.length) }, worker));
  return { findings, errors };
}

function placeLike(finding: Finding, anchor: Finding): Finding {
  return {
    ...finding,
    ...(anchor.location === undefined ? {} : { location: anchor.location }),
    ...(anchor.via === undefined ? {} : { via: anchor.via }),
    ...(anchor.workspace === undefined ? {} : { workspace: anchor.workspace }),
    ...(anchor.lockfileLocation === undefined ? {} : { lockfileLocation: anchor.lockfileLocation }),
  };
}
