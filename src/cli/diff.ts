/** The `diff` command: reviews the dependency changes between two revisions, prints the review, returns the exit code. */

import * as os from 'node:os';
import * as path from 'node:path';
import type { ReviewDeps, ReviewOptions } from '../core/review/review';
import type { DiffReport } from '../core/review/types';
import type { AuditReport, RuleMeta } from '../core/types';
import type { DiffArgs } from './args';
import { exitCodeFor } from './audit';
import { resolveCacheDir } from './cache-dir';
import { formatDiffJson } from './formatters/diff-json';
import { formatDiffMarkdown } from './formatters/diff-markdown';
import { formatDiffText } from './formatters/diff-text';
import { formatSarif } from './formatters/sarif';
import { toWrite, type CliIo } from './io';
import { createProgress, shouldShowProgress, silentProgress, type Progress } from './progress';
import { neutralise, shouldUseColor } from './terminal';

/** Exit code when nothing reaches `--fail-on` but part of the change could not be checked. */
export const EXIT_INCOMPLETE = 3;

export interface DiffCommandDeps {
  readonly reviewChange?: (options: ReviewOptions, deps?: ReviewDeps) => Promise<DiffReport>;
  /** Passed to the engine, e.g. a fake HistorySource. */
  readonly review?: ReviewDeps;
  readonly createProgress?: (io: CliIo) => Progress;
}

/**
 * Reviews `args` and writes the report to stdout. Returns 2 when the review could not be made (no
 * repository, an unknown revision, a shallow clone without the base), else 1 when a finding reaches
 * `--fail-on`, else 3 when the result is incomplete (unless `--fail-on never`), else 0.
 */
export async function runDiff(args: DiffArgs, io: CliIo, deps: DiffCommandDeps, toolVersion: string): Promise<number> {
  const stdout = toWrite(io.stdout);
  const stderr = toWrite(io.stderr);
  const options: ReviewOptions = {
    dir: path.resolve(io.cwd, args.folder),
    ...(args.base !== undefined ? { base: args.base } : {}),
    ...(args.head !== undefined ? { head: args.head } : {}),
    mode: args.mode,
    now: args.now ?? io.now?.() ?? new Date(),
    ...(args.minAgeDays !== undefined ? { minAgeDays: args.minAgeDays } : {}),
    include: args.include,
    ...(args.registry !== undefined ? { registry: args.registry } : {}),
    offline: args.offline,
    refresh: args.refresh,
    cacheDir: resolveCacheDir(io.env, io.platform ?? os.platform(), io.homedir ?? os.homedir(), io.cwd),
    env: io.env,
    ...(io.signal ? { signal: io.signal } : {}),
    ...(args.contents !== undefined ? { contents: args.contents } : {}),
  };
  const progress = (deps.createProgress ?? defaultProgress)(io);
  let report: DiffReport;
  try {
    const review = deps.reviewChange ?? (await import('../core/review/review')).reviewChange;
    report = await review({ ...options, onProgress: (update) => progress.update(update) }, deps.review);
    io.signal?.throwIfAborted();
  } finally {
    progress.clear();
  }

  const fatal = report.errors.filter((error) => error.kind === 'fatal');
  if (fatal.length > 0 && args.format === 'text') {
    for (const error of fatal) stderr(`dependency-risk: error: ${neutralise(error.message)}\n`);
    return 2;
  }
  stdout(await format(report, args, io, toolVersion));
  for (const error of fatal) stderr(`dependency-risk: error: ${neutralise(error.message)}\n`);
  if (fatal.length > 0) return 2;
  if (args.format !== 'text' && report.changedFiles.length === 0) stderr('dependency-risk: no dependency file changed; nothing to review.\n');
  if (report.incomplete) {
    stderr('dependency-risk: warning: the review is incomplete: a lockfile could not be read or the registry did not answer for a new package; see "Not checked".\n');
  }
  const code = exitCodeFor(report.findings, args.failOn);
  if (code !== 0) return code;
  return report.incomplete && args.failOn !== 'never' ? EXIT_INCOMPLETE : 0;
}

async function format(report: DiffReport, args: DiffArgs, io: CliIo, toolVersion: string): Promise<string> {
  switch (args.format) {
    case 'json':
      return formatDiffJson(report);
    case 'markdown':
      return formatDiffMarkdown(report, { failOn: args.failOn });
    case 'sarif':
      return formatSarif(asAuditReport(report), { toolVersion, rules: await loadRuleMeta() });
    case 'text':
      return formatText(report, args, io);
  }
}

function formatText(report: DiffReport, args: DiffArgs, io: CliIo): string {
  return formatDiffText(report, { color: shouldUseColor(args.color, io.env, io.stdoutIsTTY === true) });
}

/** SARIF shows findings and errors only: the review's, located in the repository's files. */
export function asAuditReport(report: DiffReport): AuditReport {
  return { schemaVersion: 1, root: report.root, now: report.now, policy: report.policy, findings: report.findings, packages: [], errors: report.errors, fixes: [] };
}

export async function loadRuleMeta(): Promise<readonly RuleMeta[]> {
  const [{ rules }, { reviewRules }, { contentsRules }] = await Promise.all([import('../core/rules'), import('../core/review/rules'), import('../core/contents/rules')]);
  return [...rules, ...reviewRules, ...contentsRules].map((rule) => rule.meta);
}

function defaultProgress(io: CliIo): Progress {
  if (!shouldShowProgress(io.stderrIsTTY === true, io.env)) return silentProgress;
  return createProgress({
    write: toWrite(io.stderr),
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
