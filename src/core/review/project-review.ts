/** Reviews one project of a change: its lockfile at both revisions, the versions it brings in, and the rules on them. */

import { applyPolicy, evaluateProject } from '../evaluate';
import type { ProjectFiles } from '../project';
import { pickRegistry } from '../registry/registry-url';
import type { HistoryResult, HistorySource } from '../registry/types';
import type { AuditError, DependencyKind, Finding, LockedPackage, Location, Lockfile, PackageHistory, Policy } from '../types';
import { describeChange } from './compare';
import { inProject } from './config-diff';
import { diffDeclared } from './diff-declared';
import { diffLockedPackages } from './diff-packages';
import type { RevisionFiles } from './git';
import { indexRanges, rangesFor } from './ranges';
import { reviewRules } from './rules';
import type { ChangeRule, ConfigRule, EntryRule } from './rules/types';
import { NPM_REGISTRY_ALIASES } from './sources';
import type { ConfigChange, LockfileStatus, NotChecked, PackageChange, ProjectConfig } from './types';

export interface ProjectReviewInput {
  /** The project's folder, relative to the repository root. */
  readonly dir: string;
  readonly base: RevisionFiles;
  readonly head: RevisionFiles;
  readonly baseProject?: ProjectFiles;
  readonly headProject?: ProjectFiles;
  readonly baseConfig?: ProjectConfig;
  readonly headConfig?: ProjectConfig;
  /** The base revision's policy (defaults for a new project). */
  readonly policy: Policy;
  readonly now: Date;
  /** Undefined when no registry is configured for the project (nothing new to ask about). */
  readonly source?: HistorySource;
  readonly registry?: string;
  readonly scopes: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: { phase: string; done: number; total: number }) => void;
}

export interface ProjectReview {
  readonly lockfiles: LockfileStatus[];
  readonly changes: PackageChange[];
  readonly findings: Finding[];
  readonly configChanges: ConfigChange[];
  readonly notChecked: NotChecked[];
  readonly errors: AuditError[];
}

/** Changes that bring a version into the tree; the version rules and the entry rules run on these. */
const NEW_KINDS = new Set(['added', 'added-alongside', 'upgraded', 'downgraded', 'changed']);
/** Same-version changes: the entry rules (integrity, tarball URL, registry) run on these too. */
const RESOURCED_KINDS = new Set(['source-changed', 'integrity-changed']);

/** Reviews one project. Never throws for bad input; registry failures become errors and `notChecked` entries. */
export async function reviewProject(input: ProjectReviewInput): Promise<ProjectReview> {
  const { dir, baseProject, headProject, policy } = input;
  const errors: AuditError[] = (headProject?.errors ?? []).map((e) => relocateError(e, dir));
  const lockfiles = lockfileStatuses(input);
  const headLock = headProject?.lockfile;
  const baseLock = baseProject?.lockfile;
  const headUnreadable = headProject?.choice !== undefined && headLock === undefined;
  if (baseProject?.choice !== undefined && baseLock === undefined && headLock !== undefined) {
    errors.push({
      kind: 'base-unreadable',
      file: inProject(dir, baseProject.choice.file),
      message: `The base revision's ${inProject(dir, baseProject.choice.file)} could not be read, so every package of ${inProject(dir, headLock.file)} is reviewed as new.`,
    });
  }
  const registryHosts = [input.registry ?? 'https://registry.npmjs.org/', ...Object.values(input.scopes), ...NPM_REGISTRY_ALIASES.map((h) => `https://${h}/`)];
  let changes: PackageChange[];
  if (headUnreadable) changes = [];
  else if (headLock !== undefined || baseLock !== undefined) {
    const file = inProject(dir, headLock?.file ?? baseLock?.file ?? '');
    changes = diffLockedPackages(baseLock?.packages, headLock?.packages, { file, registryHosts }).map((c) => (c.location ? { ...c, location: relocate(c.location, dir) } : c));
  } else if (headProject !== undefined) changes = diffDeclared(baseProject?.manifests, headProject.manifests, dir);
  else changes = [];
  changes = changes.filter((c) => policy.include.includes(c.scope));

  const result: ProjectReview = { lockfiles, changes, findings: [], configChanges: [], notChecked: [], errors };
  if (headProject === undefined) return result;

  const incoming = changes.filter((c) => (NEW_KINDS.has(c.kind) || RESOURCED_KINDS.has(c.kind)) && c.to !== undefined);
  const ids = new Set(incoming.map((c) => `${c.name}@${c.to ?? ''}`));
  const histories = new Map<string, HistoryResult>();
  if (input.source !== undefined && incoming.length > 0) {
    const evaluation = await evaluateProject({
      manifests: headLock ? headProject.manifests : onlyChanged(headProject, incoming),
      lockfile: headLock ? { ...headLock, packages: headLock.packages.filter((p) => ids.has(`${p.name}@${p.version}`)) } : undefined,
      policy,
      now: input.now,
      source: input.source,
      fix: false,
      ...(input.signal ? { signal: input.signal } : {}),
      ...(input.onProgress ? { onProgress: input.onProgress } : {}),
    });
    result.findings.push(...evaluation.findings.map((f) => relocateFinding(f, dir)));
    // Exclusions that match none of the *new* packages are not stale: the audit reports those.
    result.errors.push(...evaluation.errors.filter((e) => e.kind !== 'stale-exclusion').map((e) => relocateError(e, dir)));
    result.notChecked.push(...evaluation.packages.filter((p) => !p.checked).map((p) => ({ name: p.name, version: p.version, reason: p.reason ?? 'not checked' })));
    const names = [...new Set(incoming.filter((c) => c.source === 'registry').map((c) => c.name))].sort();
    for (const [name, history] of await input.source.getHistories(names, { now: input.now, ...(input.signal ? { signal: input.signal } : {}) })) histories.set(name, history);
  }
  const historyOf = (name: string): PackageHistory | undefined => {
    const found = histories.get(name);
    return found?.status === 'ok' ? found.history : undefined;
  };

  if (headLock !== undefined) result.findings.push(...entryFindings(headLock, ids, historyOf, input));
  result.findings.push(...(await changeFindings(changes, input, headLock)));
  if (input.headConfig !== undefined) {
    for (const rule of reviewRules.filter((r): r is ConfigRule => r.kind === 'config')) {
      const raw = rule.check({ ...(input.baseConfig ? { before: input.baseConfig } : {}), after: input.headConfig, dir, changes, policy, now: input.now });
      result.findings.push(...raw.flatMap((f) => withPolicy(f, policy)).map((f) => locateConfigFinding(f, changes)));
    }
  }
  result.changes.splice(0, result.changes.length, ...changes.map((c) => {
    const history = historyOf(c.name);
    return history === undefined ? c : { ...c, message: describeChange(c, history, input.now) };
  }));
  return result;
}

/** The entry rules on each head entry of a version the change brings in (integrity-mismatch ran in the evaluation). */
function entryFindings(lockfile: Lockfile, ids: ReadonlySet<string>, historyOf: (name: string) => PackageHistory | undefined, input: ProjectReviewInput): Finding[] {
  const rules = reviewRules.filter((r): r is EntryRule => r.kind === 'entry' && r.meta.id !== 'integrity-mismatch');
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const entry of lockfile.packages) {
    const key = JSON.stringify([entry.name, entry.version, entry.resolved ?? null, entry.integrity ?? null]);
    if (!ids.has(`${entry.name}@${entry.version}`) || seen.has(key) || !input.policy.include.includes(scopeOf(entry))) continue;
    seen.add(key);
    const history = historyOf(entry.name);
    const registry = input.registry === undefined ? undefined : pickRegistry(entry.name, { registry: input.registry, scopes: input.scopes });
    for (const rule of rules) {
      const raw = rule.check({ entry, format: lockfile.format, ...(history ? { history } : {}), ...(registry ? { registry } : {}), policy: input.policy, now: input.now });
      findings.push(...raw.flatMap((f) => withPolicy(f, input.policy)).map((f) => withEntry(f, entry, input.dir)));
    }
  }
  return findings;
}

async function changeFindings(changes: readonly PackageChange[], input: ProjectReviewInput, headLock: Lockfile | undefined): Promise<Finding[]> {
  const rules = reviewRules.filter((r): r is ChangeRule => r.kind === 'change');
  const headText = headLock === undefined ? undefined : await input.head.read(inProject(input.dir, headLock.file));
  const ranges = headLock === undefined || input.headProject === undefined ? undefined : indexRanges(headLock.format, headText, input.headProject.manifests);
  const baseEntries = byName(input.baseProject?.lockfile?.packages ?? []);
  const headEntries = byName(headLock?.packages ?? []);
  const findings: Finding[] = [];
  for (const change of changes) {
    const before = (baseEntries.get(change.name) ?? []).filter((p) => p.version === change.from);
    const after = (headEntries.get(change.name) ?? []).filter((p) => p.version === change.to);
    const entry = after.find((p) => p.direct) ?? after[0];
    const admitting = ranges === undefined ? undefined : rangesFor(ranges, entry, change.name);
    for (const rule of rules) {
      const raw = rule.check({ change, before, after, ...(headLock ? { format: headLock.format } : {}), ...(admitting ? { ranges: admitting } : {}), policy: input.policy, now: input.now });
      findings.push(...raw.flatMap((f) => withPolicy(f, input.policy)).map((f) => (entry ? withEntry(f, entry, input.dir) : f)));
    }
  }
  return findings;
}

function lockfileStatuses(input: ProjectReviewInput): LockfileStatus[] {
  const { dir, base, head, baseProject, headProject } = input;
  const b = baseProject?.choice;
  const h = headProject?.choice;
  const statuses: LockfileStatus[] = [];
  const describe = (project: ProjectFiles, choice: NonNullable<ProjectFiles['choice']>, status: LockfileStatus['status']): LockfileStatus => {
    const file = inProject(dir, choice.file);
    const unreadable = project.lockfile === undefined;
    const reason = unreadable ? project.errors.find((e) => e.kind === 'unsupported-lockfile' || e.file === choice.file)?.message : undefined;
    return {
      file,
      manager: choice.manager,
      ...(project.lockfile ? { format: project.lockfile.format } : {}),
      status: unreadable ? 'unreadable' : status,
      ...(reason !== undefined ? { reason } : {}),
    };
  };
  if (h !== undefined && headProject !== undefined) {
    const file = inProject(dir, h.file);
    const status = b?.file !== h.file ? 'added' : base.files.get(file) === head.files.get(file) ? 'unchanged' : 'changed';
    statuses.push(describe(headProject, h, status));
  }
  if (b !== undefined && baseProject !== undefined && b.file !== h?.file) statuses.push({ ...describe(baseProject, b, 'removed'), status: 'removed' });
  return statuses;
}

/** For a project without a lockfile: its manifests with only the declarations the change adds or changes. */
function onlyChanged(project: ProjectFiles, incoming: readonly PackageChange[]): ProjectFiles['manifests'] {
  const wanted = new Set(incoming.map((c) => `${c.workspace ?? ''}\u0000${c.name}`));
  return project.manifests.map((m) => ({
    ...m,
    manifest: { ...m.manifest, dependencies: m.manifest.dependencies.filter((d) => d.kind !== 'override' && wanted.has(`${m.path}\u0000${d.registryName}`)) },
  }));
}

function withPolicy(finding: Finding, policy: Policy): Finding[] {
  const kept = applyPolicy(finding, policy);
  return kept === undefined ? [] : [kept];
}

function withEntry(finding: Finding, entry: LockedPackage, dir: string): Finding {
  const location = entry.location === undefined ? undefined : relocate(entry.location, dir);
  return {
    ...finding,
    ...(location ? { location, lockfileLocation: location } : {}),
    ...(entry.direct || entry.via.length <= 1 ? {} : { via: entry.via }),
    ...(entry.workspace !== '' ? { workspace: entry.workspace } : {}),
  };
}

/** A policy finding about a package the change brings in points at that package's new entry. */
function locateConfigFinding(finding: Finding, changes: readonly PackageChange[]): Finding {
  const change = changes.find((c) => c.name === finding.package && c.to === finding.version && c.location !== undefined);
  return change?.location ? { ...finding, location: change.location } : finding;
}

function relocateFinding(finding: Finding, dir: string): Finding {
  return {
    ...finding,
    ...(finding.location ? { location: relocate(finding.location, dir) } : {}),
    ...(finding.lockfileLocation ? { lockfileLocation: relocate(finding.lockfileLocation, dir) } : {}),
  };
}

function relocateError(error: AuditError, dir: string): AuditError {
  return {
    ...error,
    ...(error.file !== undefined && !/^(?:\/|[A-Za-z]:[\\/])/.test(error.file) ? { file: inProject(dir, error.file) } : {}),
    ...(error.location ? { location: relocate(error.location, dir) } : {}),
  };
}

function relocate(location: Location, dir: string): Location {
  return { ...location, file: inProject(dir, location.file) };
}

/** Entries by package name, so a large change does not scan the lockfile once per package. */
function byName(packages: readonly LockedPackage[]): Map<string, LockedPackage[]> {
  const map = new Map<string, LockedPackage[]>();
  for (const p of packages) {
    const list = map.get(p.name);
    if (list === undefined) map.set(p.name, [p]);
    else list.push(p);
  }
  return map;
}

function scopeOf(p: LockedPackage): DependencyKind {
  if (p.dev) return 'dev';
  if (p.optional) return 'optional';
  if (p.peer) return 'peer';
  return 'prod';
}
