/** The `audit` command: runs the engine on a folder, prints the report in the chosen format, returns the exit code. */

import * as os from 'node:os';
import * as path from 'node:path';
import type { AuditDeps, AuditOptions } from '../core/audit';
import type { AuditError, AuditReport, Finding, RuleMeta } from '../core/types';
import type { AuditArgs, FailOn } from './args';
import { resolveCacheDir } from './cache-dir';
import { formatJson } from './formatters/json';
import { nameSubject } from './formatters/order';
import { formatSarif } from './formatters/sarif';
import { formatText } from './formatters/text';
import type { InspectCommandDeps } from './inspect';
import { toWrite, type CliIo } from './io';
import { createProgress, shouldShowProgress, silentProgress, type Progress } from './progress';
import { neutralise, shouldUseColor } from './terminal';

export type AuditProject = (options: AuditOptions, deps?: AuditDeps) => Promise<AuditReport>;

/** What tests (and other hosts) can hand in instead of the real engine. */
export interface AuditCommandDeps extends InspectCommandDeps {
  readonly auditProject?: AuditProject;
  /** Passed to the engine, e.g. a fake HistorySource. */
  readonly engine?: AuditDeps;
  /** Rule metadata for SARIF; defaults to the engine's rule list. */
  readonly rules?: readonly RuleMeta[];
  /** Progress line factory; defaults to one drawn on io.stderr. */
  readonly createProgress?: (io: CliIo) => Progress;
}

/** At most this many report errors are repeated on stderr for json and sarif output. */
const MAX_STDERR_ERRORS = 20;

/**
 * Audits `args.folder` and writes the report to stdout. Returns 2 when the engine reports a fatal
 * error (nothing could be audited), else 1 when a finding reaches `--fail-on`, else 0.
 */
export async function runAudit(args: AuditArgs, io: CliIo, deps: AuditCommandDeps, toolVersion: string): Promise<number> {
  const stdout = toWrite(io.stdout);
  const stderr = toWrite(io.stderr);
  const options: AuditOptions = {
    dir: path.resolve(io.cwd, args.folder),
    now: args.now ?? io.now?.() ?? new Date(),
    minAgeDays: args.minAgeDays,
    include: args.include,
    registry: args.registry,
    offline: args.offline,
    refresh: args.refresh,
    fix: args.fix,
    cacheDir: resolveCacheDir(io.env, io.platform ?? os.platform(), io.homedir ?? os.homedir(), io.cwd),
    env: io.env,
    trustProject: true,
    signal: io.signal,
  };
  const progress = (deps.createProgress ?? defaultProgress)(io);
  let report: AuditReport;
  try {
    const auditProject = deps.auditProject ?? (await import('../core/audit')).auditProject;
    report = await auditProject({ ...options, onProgress: (update) => progress.update(update) }, deps.engine);
    // An engine that stops early on abort may return a partial report: never print it as if complete.
    io.signal?.throwIfAborted();
    if (args.contents !== undefined && !report.errors.some((error) => error.kind === 'fatal')) {
      report = await addContents(report, args, options, io, deps, progress);
    }
  } finally {
    progress.clear();
  }

  const fatal = report.errors.filter((error) => error.kind === 'fatal');
  if (fatal.length > 0 && args.format === 'text') {
    for (const error of fatal) stderr(`dependency-risk: error: ${neutralise(describeError(error))}\n`);
    return 2;
  }
  stdout(await format(report, args, io, deps, toolVersion));
  for (const error of fatal) stderr(`dependency-risk: error: ${neutralise(describeError(error))}\n`);
  if (fatal.length > 0) return 2;
  warnAboutCoverage(report, args, stderr);
  return exitCodeFor(report.findings, args.failOn);
}

/** Inspects the tarballs `--contents` selects and adds their findings and errors to the report. */
async function addContents(report: AuditReport, args: AuditArgs, options: AuditOptions, io: CliIo, deps: AuditCommandDeps, progress: Progress): Promise<AuditReport> {
  const [{ inspectAuditReport }, { resolveRegistryConfig }] = await Promise.all([import('../core/contents/audit-contents'), import('../core/registry/registry-config')]);
  const manager = report.lockfile?.manager;
  const config = await resolveRegistryConfig({
    dir: report.root,
    env: io.env,
    trustProject: true,
    manager: manager === 'pnpm' || manager === 'yarn' || manager === 'yarn-classic' || manager === 'bun' ? manager : 'npm',
  });
  const create = deps.createInspector ?? (await import('../core/contents/inspect')).createInspector;
  const inspector = create(
    {
      registry: args.registry ?? config.registry,
      scopes: config.scopes,
      npmOptions: config.npmOptions,
      ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }),
      policy: report.policy,
    },
    deps.inspectDeps,
  );
  const extra = await inspectAuditReport(report, args.contents ?? 'flagged', inspector, { signal: io.signal, onProgress: (update) => progress.update(update) });
  io.signal?.throwIfAborted();
  return { ...report, findings: [...report.findings, ...extra.findings], errors: [...report.errors, ...extra.errors] };
}

/** 1 when any finding reaches `failOn` (`warning` includes errors), else 0. */
export function exitCodeFor(findings: readonly Finding[], failOn: FailOn): 0 | 1 {
  if (failOn === 'never') return 0;
  const reaches = (finding: Finding): boolean => finding.severity === 'error' || (failOn === 'warning' && finding.severity === 'warning');
  return findings.some(reaches) ? 1 : 0;
}

async function format(report: AuditReport, args: AuditArgs, io: CliIo, deps: AuditCommandDeps, toolVersion: string): Promise<string> {
  switch (args.format) {
    case 'json':
      return formatJson(report);
    case 'sarif':
      return formatSarif(report, { toolVersion, rules: deps.rules ?? (await loadRuleMeta()) });
    case 'text':
      return formatText(report, { color: shouldUseColor(args.color, io.env, io.stdoutIsTTY === true) });
  }
}

async function loadRuleMeta(): Promise<readonly RuleMeta[]> {
  const [{ rules }, { contentsRules }] = await Promise.all([import('../core/rules'), import('../core/contents/rules')]);
  return [...rules, ...contentsRules].map((rule) => rule.meta);
}

/** Text reports list what was not checked themselves; stderr gets one line so a redirected report is not silent about it. */
function warnAboutCoverage(report: AuditReport, args: AuditArgs, stderr: (text: string) => void): void {
  if (args.format === 'text') {
    const unchecked = report.packages.filter((pkg) => !pkg.checked).length;
    if (unchecked === 0 && report.errors.length === 0) return;
    stderr(
      `dependency-risk: warning: ${plural(unchecked, 'package')} not checked, ${plural(report.errors.length, 'problem')} reported; ` +
        'see "Not checked" in the report.\n',
    );
    return;
  }
  for (const error of report.errors.slice(0, MAX_STDERR_ERRORS)) stderr(`dependency-risk: warning: ${neutralise(describeError(error))}\n`);
  const more = report.errors.length - MAX_STDERR_ERRORS;
  if (more > 0) stderr(`dependency-risk: warning: ${plural(more, 'more problem')}; see "errors" in the report.\n`);
}

function describeError(error: AuditError): string {
  const subject = error.package ?? error.file;
  return subject === undefined ? error.message : nameSubject(error.message, subject);
}

function defaultProgress(io: CliIo): Progress {
  if (!shouldShowProgress(io.stderrIsTTY === true, io.env)) return silentProgress;
  const write = toWrite(io.stderr);
  return createProgress({
    write,
    clock: () => performance.now(),
    setTimer: (callback, ms) => {
      const timer = setTimeout(callback, ms);
      // A pending redraw must not keep the process alive after the report is printed.
      timer.unref();
      return timer;
    },
    clearTimer: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
    columns: io.stderrColumns,
  });
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
