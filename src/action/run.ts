/**
 * The GitHub Action: reviews the pull request's dependency changes with the `diff` engine, then writes
 * the job summary, line annotations, a SARIF file, the step outputs and (when the token may) one
 * sticky pull-request comment. Returns the exit code; only `bin.ts` touches `process`.
 */

import * as path from 'node:path';
import { FAIL_ON_LEVELS, type FailOn } from '../cli/args';
import { exitCodeFor } from '../cli/audit';
import { resolveCacheDir } from '../cli/cache-dir';
import { asAuditReport, EXIT_INCOMPLETE, loadRuleMeta } from '../cli/diff';
import { formatDiffMarkdown } from '../cli/formatters/diff-markdown';
import { formatSarif } from '../cli/formatters/sarif';
import { isAcceptableRef, openRepository } from '../core/review/git';
import type { ReviewOptions } from '../core/review/review';
import type { DiffReport } from '../core/review/types';
import { decideComment, renderPullRequestComment, type CommentMode } from './comment';
import { findStickyComment, postStickyComment, type GitHubApi } from './github';
import { formatAnnotations, formatOutput, formatWarning } from './workflow-commands';

export interface ActionIo {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** The step's log (stdout): workflow commands and messages. */
  readonly log: (text: string) => void;
  readonly readFile: (file: string) => Promise<string>;
  readonly appendFile: (file: string, text: string) => Promise<void>;
  readonly writeFile: (file: string, text: string) => Promise<void>;
  readonly fetch: typeof fetch;
  readonly now: () => Date;
  readonly platform: NodeJS.Platform;
  readonly homedir: string;
}

export interface ActionSettings {
  readonly failOn: FailOn;
  readonly warnOnly: boolean;
  readonly comment: CommentMode;
  readonly annotations: boolean;
}

const COMMENT_MODES: readonly CommentMode[] = ['always', 'on-findings', 'never'];
const DEFAULTS: ActionSettings = { failOn: 'error', warnOnly: false, comment: 'on-findings', annotations: true };

/** A bad input or configuration value: the step fails with exit code 2 and this message. */
export class ActionInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ActionInputError';
  }
}

/**
 * Runs the Action. Exit codes as `diff`: 0, 1 when a finding reaches `fail-on` (0 with `warn-only`),
 * 2 on a bad input or a review that could not be made, 3 when the review is incomplete.
 */
export async function runAction(io: ActionIo, toolVersion: string): Promise<number> {
  const input = (name: string) => (io.env[`INPUT_${name.toUpperCase()}`] ?? '').trim();
  const event = await readEvent(io);
  const baseRef = input('base-ref') || event.baseSha;
  const headRef = input('head-ref');
  if (baseRef === undefined || baseRef === '') throw new ActionInputError('No base revision: set the base-ref input, or run the Action on a pull_request event.');
  for (const ref of [baseRef, headRef].filter((r) => r !== '')) {
    if (!isAcceptableRef(ref)) throw new ActionInputError(`"${ref}" is not a revision git can be asked about.`);
  }
  // The configuration file is read from the base revision, so a pull request cannot relax its own review.
  const fromFile = input('config-file') === '' ? {} : await readConfigFile(io, baseRef, input('config-file'));
  const settings = readSettings(input, fromFile);
  const now = input('now') === '' ? io.now() : new Date(input('now'));
  if (Number.isNaN(now.getTime())) throw new ActionInputError(`now: "${input('now')}" is not an ISO date.`);

  const options: ReviewOptions = {
    dir: io.cwd,
    base: baseRef,
    // Without head-ref, the checkout (the pull request's merge commit) against its merge base with the base: what GitHub shows.
    ...(headRef === '' ? { mode: 'merge-base' as const } : { mode: 'commits' as const, head: headRef }),
    now,
    cacheDir: resolveCacheDir(io.env, io.platform, io.homedir, io.cwd),
    env: io.env,
  };
  const { reviewChange } = await import('../core/review/review');
  const report = await reviewChange(options);
  const fatal = report.errors.filter((e) => e.kind === 'fatal');
  if (fatal.length > 0) {
    for (const error of fatal) io.log(`::error::${error.message.replace(/%/g, '%25').replace(/\r?\n/g, '%0A')}\n`);
    return 2;
  }

  const body = renderPullRequestComment(report, { failOn: settings.failOn });
  if (io.env.GITHUB_STEP_SUMMARY) await io.appendFile(io.env.GITHUB_STEP_SUMMARY, `${formatDiffMarkdown(report, { failOn: settings.failOn, maxLength: 1_000_000 })}\n`);
  if (settings.annotations) io.log(formatAnnotations(report.findings));
  if (input('sarif-file') !== '') {
    const sarif = formatSarif(asAuditReport(report), { toolVersion, rules: await loadRuleMeta() });
    await io.writeFile(path.resolve(io.cwd, input('sarif-file')), sarif);
  }
  if (io.env.GITHUB_OUTPUT) {
    const outputs = [formatOutput('comment-content', body), formatOutput('changes', String(report.changes.length)), formatOutput('findings', String(report.findings.length)), formatOutput('incomplete', String(report.incomplete))];
    await io.appendFile(io.env.GITHUB_OUTPUT, outputs.join(''));
  }
  await comment(io, report, settings, body, event.pullRequest);

  const code = exitCodeFor(report.findings, settings.failOn);
  if (code !== 0) return settings.warnOnly ? 0 : code;
  return report.incomplete && settings.failOn !== 'never' && !settings.warnOnly ? EXIT_INCOMPLETE : 0;
}

async function comment(io: ActionIo, report: DiffReport, settings: ActionSettings, body: string, pullRequest: number | undefined): Promise<void> {
  const token = io.env['INPUT_REPO-TOKEN'] || io.env.GITHUB_TOKEN;
  if (settings.comment === 'never' || pullRequest === undefined || !token || !io.env.GITHUB_REPOSITORY) return;
  const api: GitHubApi = { apiUrl: io.env.GITHUB_API_URL || 'https://api.github.com', repository: io.env.GITHUB_REPOSITORY, token, fetch: io.fetch };
  const existing = await findStickyComment(api, pullRequest);
  const rendered = existing === undefined ? body : renderPullRequestComment(report, { failOn: settings.failOn, previous: existing.body });
  const action = decideComment(report, settings.comment, rendered, existing?.body);
  if (action !== 'create' && action !== 'update') return;
  const result = await postStickyComment(api, pullRequest, rendered, existing);
  if (result === 'forbidden') io.log(formatWarning('The token may not write to pull requests (give the job `pull-requests: write`; fork pull requests never can): the review is in the job summary only.'));
}

/** Inputs win over the configuration file, which wins over the defaults. */
function readSettings(input: (name: string) => string, file: Readonly<Record<string, unknown>>): ActionSettings {
  const pick = (name: string): string | undefined => {
    const value = input(name) || (file[name] === undefined ? '' : String(file[name]));
    return value === '' ? undefined : value;
  };
  const failOn = pick('fail-on') ?? DEFAULTS.failOn;
  if (!(FAIL_ON_LEVELS as readonly string[]).includes(failOn)) throw new ActionInputError(`fail-on: "${failOn}" is not one of ${FAIL_ON_LEVELS.join(', ')}.`);
  const mode = pick('comment') ?? DEFAULTS.comment;
  if (!(COMMENT_MODES as readonly string[]).includes(mode)) throw new ActionInputError(`comment: "${mode}" is not one of ${COMMENT_MODES.join(', ')}.`);
  return { failOn: failOn as FailOn, comment: mode as CommentMode, warnOnly: bool('warn-only', pick('warn-only'), DEFAULTS.warnOnly), annotations: bool('annotations', pick('annotations'), DEFAULTS.annotations) };
}

function bool(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new ActionInputError(`${name}: "${value}" is not true or false.`);
}

async function readEvent(io: ActionIo): Promise<{ readonly pullRequest?: number; readonly baseSha?: string }> {
  if (!io.env.GITHUB_EVENT_PATH) return {};
  const event = JSON.parse(await io.readFile(io.env.GITHUB_EVENT_PATH)) as unknown;
  const pr = typeof event === 'object' && event !== null ? (event as { pull_request?: unknown }).pull_request : undefined;
  if (typeof pr !== 'object' || pr === null) return {};
  const { number, base } = pr as { number?: unknown; base?: { sha?: unknown } };
  return { ...(typeof number === 'number' ? { pullRequest: number } : {}), ...(typeof base?.sha === 'string' ? { baseSha: base.sha } : {}) };
}

/** The JSON configuration file (`{ "fail-on": "warning", "comment": "always" }`) as the base revision has it. */
async function readConfigFile(io: ActionIo, base: string, file: string): Promise<Readonly<Record<string, unknown>>> {
  if (file.startsWith('-') || path.isAbsolute(file)) throw new ActionInputError(`config-file: "${file}" must be a path inside the repository.`);
  let text: string | undefined;
  try {
    const repository = await openRepository(io.cwd, { env: io.env });
    const revision = await repository.commit(await repository.resolveCommit(base), base);
    text = await revision.read(path.posix.normalize(file.replace(/\\/g, '/')));
  } catch (error) {
    throw new ActionInputError(`config-file: ${file} could not be read from the base revision ${base}: ${(error as Error).message}`);
  }
  if (text === undefined) throw new ActionInputError(`config-file: the base revision ${base} has no ${file}.`);
  const parsed = JSON.parse(text) as unknown;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ActionInputError(`config-file: ${file} is not a JSON object.`);
  return parsed as Record<string, unknown>;
}
