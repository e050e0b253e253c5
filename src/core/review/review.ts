/** Reviews a change to a repository's dependencies: two revisions in, package changes, findings and configuration changes out (`diff`). */

import { isAbsolute, join, relative, sep } from 'node:path';
import type { ResolvedRegistry } from '../audit';
import { buildPolicy, type UserPolicySettings } from '../policy';
import { loadProject } from '../project';
import type { ContentsSelection } from '../contents/audit-contents';
import type { Inspector, InspectOptions } from '../contents/inspect';
import type { HistoryResult, HistorySource } from '../registry/types';
import type { AuditError, DependencyKind, Policy, SeverityLevel } from '../types';
import { applyAcceptances, parseAcceptances } from './acceptances';
import { diffConfigs, inProject } from './config-diff';
import { readRevisionConfig } from './config-read';
import { ACCEPTANCES_FILE, changedFiles, isWithin, projectDirOf } from './files';
import { GitReviewError, openRepository, type Repository, type RevisionFiles } from './git';
import { reviewProject, type ProjectReview } from './project-review';
import type { Acceptance, DiffReport, RevisionInfo } from './types';

export type ReviewMode = 'merge-base' | 'commits' | 'staged' | 'worktree';

export interface ReviewOptions {
  /** The folder to review (absolute): projects in it, and the project it belongs to. */
  readonly dir: string;
  /** The base ref; HEAD when omitted with `staged` or `worktree`. */
  readonly base?: string;
  /** The head ref, for `commits`. */
  readonly head?: string;
  /**
   * `merge-base`: the merge base of `base` and HEAD against HEAD (what a pull request shows);
   * `commits`: `base` against `head`; `staged`: `base` against the index; `worktree`: against the working tree.
   */
  readonly mode: ReviewMode;
  readonly now: Date;
  readonly minAgeDays?: number;
  readonly include?: readonly DependencyKind[];
  readonly severities?: Readonly<Record<string, SeverityLevel>>;
  readonly ignore?: readonly string[];
  /** Overrides the base revision's registry. */
  readonly registry?: string;
  readonly offline?: boolean;
  readonly refresh?: boolean;
  readonly cacheDir?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: { phase: string; done: number; total: number }) => void;
  /**
   * `flagged`: also inspect the published contents of every new version another rule flags, against
   * the version its change replaces; `all`: of every new direct version too. Off when undefined.
   */
  readonly contents?: ContentsSelection;
}

export interface ReviewDeps {
  readonly repository?: Repository;
  /** Supplies histories; overrides `createSource`. */
  readonly source?: HistorySource;
  readonly createSource?: (registry: ResolvedRegistry) => HistorySource | Promise<HistorySource>;
  /** Makes the content inspector for a project's registry (`contents`); defaults to contents/inspect's. */
  readonly createInspector?: (options: InspectOptions) => Inspector;
}

/**
 * Reviews the change between two revisions. Reads only what git stores (or the index, or the working
 * tree for the head side), never runs anything from either revision, and asks the registry only about
 * the package versions the change brings in, with the base revision's registry settings and policy.
 * When no dependency file changed, no request is made. Never throws for bad input: a repository or
 * revision that cannot be read gives a report with a `fatal` error (a shallow clone's names
 * `fetch-depth`), and bad files or failed lookups are errors beside the findings, which make the
 * report `incomplete`.
 */
export async function reviewChange(options: ReviewOptions, deps: ReviewDeps = {}): Promise<DiffReport> {
  const user: UserPolicySettings = { minReleaseAgeDays: options.minAgeDays, include: options.include, severities: options.severities, ignore: options.ignore };
  const defaults = buildPolicy({}, user).policy;
  let repository: Repository;
  let base: RevisionFiles;
  let head: RevisionFiles;
  try {
    repository = deps.repository ?? (await openRepository(options.dir, { env: options.env }));
    [base, head] = await revisions(repository, options);
  } catch (error) {
    if (!(error instanceof GitReviewError)) throw error;
    return emptyReport(options, defaults, { ref: options.base ?? 'HEAD', kind: 'commit' }, { ref: options.head ?? 'HEAD', kind: 'commit' }, [
      { kind: 'fatal', message: error.message },
    ]);
  }
  const top = repository.root;
  const scope = relative(top, options.dir).split(sep).join('/');
  if (scope.startsWith('..') || isAbsolute(scope)) {
    return emptyReport(options, defaults, base.info, head.info, [{ kind: 'fatal', message: `${options.dir} is outside the repository at ${top}.` }], top);
  }
  const changed = changedFiles(base.files, head.files).filter((path) => isWithin(projectDirOf(path), scope) || isWithin(scope, projectDirOf(path)));
  if (changed.length === 0) return emptyReport(options, defaults, base.info, head.info, [], top);

  const roots = await projectRoots(changed, top, base, head);
  const memo = new Map<string, HistorySource>();
  const sourceFor = async (registry: ResolvedRegistry): Promise<HistorySource> => {
    if (deps.source) return deps.source;
    const key = JSON.stringify([options.registry ?? registry.registry, registry.scopes]);
    let source = memo.get(key);
    if (source === undefined) {
      const resolved = { ...registry, registry: options.registry ?? registry.registry };
      const made = deps.createSource ? await deps.createSource(resolved) : await defaultSource(resolved, options);
      source = remembering(made);
      memo.set(key, source);
    }
    return source;
  };

  const inspectors = new Map<string, Inspector>();
  const inspectorFor = (registry: ResolvedRegistry, policy: Policy): Inspector => {
    const resolved = { registry: options.registry ?? registry.registry, scopes: registry.scopes, npmOptions: registry.npmOptions };
    const key = JSON.stringify([resolved, policy.severities, policy.ignore]);
    let inspector = inspectors.get(key);
    if (inspector === undefined) {
      inspector = (deps.createInspector ?? lazyInspector)({ ...resolved, ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}), policy });
      inspectors.set(key, inspector);
    }
    return inspector;
  };

  const reviews: ProjectReview[] = [];
  const errors: AuditError[] = [];
  let policy: Policy | undefined;
  const baseAcceptances: Acceptance[] = [];
  const headAcceptances: Acceptance[] = [];
  for (const dir of roots) {
    options.signal?.throwIfAborted();
    const abs = dir === '' ? top : join(top, ...dir.split('/'));
    const reader = (revision: RevisionFiles) => ({
      read: (path: string) => revision.read(relative(top, path).split(sep).join('/')),
      list: (path: string) => revision.listDirs(relative(top, path).split(sep).join('/')),
    });
    const [b, h] = [reader(base), reader(head)];
    const baseProject = await loadProject(abs, b.read, b.list);
    const headProject = await loadProject(abs, h.read, h.list);
    const shared = { top, dir, env: options.env ?? {}, user, ...(options.cacheDir ? { scratch: await ensureDir(options.cacheDir) } : {}) };
    const baseConfig = baseProject ? await readRevisionConfig({ ...shared, revision: base, project: baseProject }) : undefined;
    const headConfig = headProject ? await readRevisionConfig({ ...shared, revision: head, project: headProject }) : undefined;
    // A new project is judged by the defaults and asks the base revision's registry (its parents' and the user's settings).
    const registry = baseConfig?.registry ?? (headProject ? (await readRevisionConfig({ ...shared, revision: base, project: headProject })).registry : undefined);
    const projectPolicy = baseConfig?.policy ?? defaults;
    policy ??= projectPolicy;
    if (baseConfig) errors.push(...baseConfig.errors);
    const review = await reviewProject({
      dir,
      base,
      head,
      baseProject: baseProject?.root === abs ? baseProject : undefined,
      headProject: headProject?.root === abs ? headProject : undefined,
      baseConfig: baseConfig?.config,
      headConfig: headConfig?.config,
      policy: projectPolicy,
      now: options.now,
      source: registry ? await sourceFor(registry) : undefined,
      registry: options.registry ?? registry?.registry,
      scopes: registry?.scopes ?? {},
      signal: options.signal,
      onProgress: options.onProgress,
    });
    // `diff packages/web` in a monorepo: only what that workspace brings in (the root's configuration still counts).
    const focus = isWithin(scope, dir) && scope !== dir ? scope.slice(dir === '' ? 0 : dir.length + 1) : '';
    if (focus !== '') focusOn(review, focus);
    if (options.contents !== undefined && registry !== undefined) {
      await inspectContents(review, options.contents, inspectorFor(registry, projectPolicy), options);
    }
    reviews.push(review);
    const configChanges = headConfig ? diffConfigs(baseConfig?.config, headConfig.config, dir) : [];
    review.configChanges.push(...configChanges);
    for (const [revision, list] of [[base, baseAcceptances], [head, headAcceptances]] as const) {
      const file = inProject(dir, ACCEPTANCES_FILE);
      const text = await revision.read(file);
      if (text === undefined) continue;
      const parsed = parseAcceptances(file, text);
      list.push(...parsed.acceptances);
      if (revision === head) errors.push(...parsed.errors);
    }
  }

  const allFindings = reviews.flatMap((r) => r.findings);
  const { findings, uses } = applyAcceptances(allFindings, baseAcceptances, headAcceptances, options.now);
  const allErrors = [...errors, ...reviews.flatMap((r) => r.errors)];
  const lockfiles = reviews.flatMap((r) => r.lockfiles);
  const notChecked = reviews.flatMap((r) => r.notChecked);
  return {
    schemaVersion: 1,
    root: top,
    base: base.info,
    head: head.info,
    now: options.now.toISOString(),
    changedFiles: changed,
    lockfiles,
    changes: reviews.flatMap((r) => r.changes),
    findings,
    configChanges: reviews.flatMap((r) => r.configChanges),
    accepted: uses,
    notChecked,
    errors: allErrors,
    incomplete: lockfiles.some((l) => l.status === 'unreadable') || allErrors.some((e) => INCOMPLETE_KINDS.has(e.kind)),
    policy: policy ?? defaults,
  };
}

/** Adds the content findings (and why a tarball was not inspected) of the versions `selection` picks to the project's review. */
async function inspectContents(review: ProjectReview, selection: ContentsSelection, inspector: Inspector, options: ReviewOptions): Promise<void> {
  const { inspectReviewChanges } = await import('../contents/diff-contents');
  const extra = await inspectReviewChanges(review.changes, review.findings, selection, inspector, {
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  review.findings.push(...extra.findings);
  review.errors.push(...extra.errors);
}

/** The default inspector, loaded on its first use (the parser and the tarball reader stay out of reviews without `contents`). */
function lazyInspector(options: InspectOptions): Inspector {
  let made: Promise<Inspector> | undefined;
  const load = (): Promise<Inspector> => (made ??= import('../contents/inspect').then(({ createInspector }) => createInspector(options)));
  return {
    inspect: async (name, version, against, signal) => (await load()).inspect(name, version, against, signal),
    readFile: async (name, version, path, signal) => (await load()).readFile(name, version, path, signal),
  };
}

/** Keeps the changes (and their findings) that a workspace brings in. */
function focusOn(review: ProjectReview, focus: string): void {
  const kept = review.changes.filter((c) => isWithin(c.workspace ?? '', focus) && (c.workspace ?? '') !== '');
  const ids = new Set(kept.map((c) => `${c.name}@${c.to ?? ''}`));
  review.changes.splice(0, review.changes.length, ...kept);
  const findings = review.findings.filter((f) => f.version === '' || ids.has(`${f.package}@${f.version}`));
  review.findings.splice(0, review.findings.length, ...findings);
}

/** Error kinds that leave part of the change unchecked. */
const INCOMPLETE_KINDS = new Set(['fatal', 'parse', 'unsupported-lockfile', 'not-found', 'unauthorized', 'timeout', 'offline', 'error', 'no-match', 'unreadable']);

async function revisions(repository: Repository, options: ReviewOptions): Promise<[RevisionFiles, RevisionFiles]> {
  switch (options.mode) {
    case 'merge-base': {
      const ref = options.base ?? 'HEAD';
      const [baseCommit, headCommit] = [await repository.resolveCommit(ref), await repository.resolveCommit('HEAD')];
      const mergeBase = await repository.mergeBase(baseCommit, headCommit, [ref, 'HEAD']);
      const base = await repository.commit(mergeBase, ref);
      return [{ ...base, info: { ...base.info, mergeBaseWith: 'HEAD' } }, await repository.commit(headCommit, 'HEAD')];
    }
    case 'commits': {
      const [b, h] = [options.base ?? 'HEAD', options.head ?? 'HEAD'];
      return [await repository.commit(await repository.resolveCommit(b), b), await repository.commit(await repository.resolveCommit(h), h)];
    }
    case 'staged': {
      const b = options.base ?? 'HEAD';
      return [await repository.commit(await repository.resolveCommit(b), b), await repository.index()];
    }
    case 'worktree': {
      const b = options.base ?? 'HEAD';
      return [await repository.commit(await repository.resolveCommit(b), b), await repository.worktree()];
    }
  }
}

/**
 * The project roots (relative to the repository root) that the changed files belong to: the folder of
 * each changed file, resolved to the root whose lockfile installs it (a workspace's root), on whichever
 * side has the project. Folders without a package.json on either side are skipped.
 */
async function projectRoots(changed: readonly string[], top: string, base: RevisionFiles, head: RevisionFiles): Promise<string[]> {
  const roots = new Set<string>();
  const folders = [...new Set(changed.map(projectDirOf))];
  for (const folder of folders) {
    const abs = folder === '' ? top : join(top, ...folder.split('/'));
    for (const revision of [head, base]) {
      const project = await loadProject(
        abs,
        (path) => revision.read(relative(top, path).split(sep).join('/')),
        (path) => revision.listDirs(relative(top, path).split(sep).join('/')),
      );
      if (project === undefined) continue;
      roots.add(relative(top, project.root).split(sep).join('/'));
      break;
    }
  }
  return [...roots].sort();
}

/** A HistorySource that asks for each name once: the review's evaluation and its comparisons share the answers. */
export function remembering(source: HistorySource): HistorySource {
  const known = new Map<string, HistoryResult>();
  return {
    async getHistories(names, requestOptions) {
      const missing = [...new Set(names)].filter((name) => !known.has(name));
      if (missing.length > 0) for (const [name, result] of await source.getHistories(missing, requestOptions)) known.set(name, result);
      return new Map(names.flatMap((name) => (known.has(name) ? [[name, known.get(name)!] as const] : [])));
    },
  };
}

async function defaultSource(resolved: ResolvedRegistry, options: ReviewOptions): Promise<HistorySource> {
  const { createRegistryClient } = await import('../registry/client');
  return createRegistryClient({ ...resolved, cacheDir: options.cacheDir, offline: options.offline, refresh: options.refresh });
}

async function ensureDir(dir: string): Promise<string> {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(dir, { recursive: true });
  return dir;
}

function emptyReport(options: ReviewOptions, policy: Policy, base: RevisionInfo, head: RevisionInfo, errors: AuditError[], root = options.dir): DiffReport {
  return {
    schemaVersion: 1,
    root,
    base,
    head,
    now: options.now.toISOString(),
    changedFiles: [],
    lockfiles: [],
    changes: [],
    findings: [],
    configChanges: [],
    accepted: [],
    notChecked: [],
    errors,
    incomplete: errors.some((e) => e.kind === 'fatal'),
    policy,
  };
}
