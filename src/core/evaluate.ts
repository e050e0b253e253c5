/** Turns a parsed manifest and lockfile plus package histories into findings, coverage and fix plans. */

import semver from 'semver';
import type { HistoryResult, HistorySource } from './registry/types';
import { describeStaleFacts } from './registry/failure-message';
import type {
  AuditError,
  DeclaredDependency,
  DependencyKind,
  Finding,
  FixPlan,
  Lockfile,
  LockedPackage,
  Location,
  PackageCoverage,
  PackageHistory,
  Policy,
  SpecSource,
} from './types';
import { rules } from './rules';
import { integrityMismatch } from './review/rules/integrity-mismatch';
import { isIgnored } from './policy';
import { isExcluded } from './history';
import { describeSource } from './spec';
import { overrideMechanism, pickPinVersion, pinEdit, type OverrideMechanism } from './fix';
import type { ProjectManifest } from './project';

/** One package the audit looks at: a locked version, or a direct dependency's range when there is no lockfile. */
export interface Target {
  readonly name: string;
  /** Undefined until resolved from the history when only a range is known. */
  readonly version?: string;
  readonly range?: string;
  readonly direct: boolean;
  readonly kind: DependencyKind;
  readonly source: SpecSource;
  readonly via: readonly string[];
  readonly location?: Location;
  readonly lockfileLocation?: Location;
  readonly declared?: DeclaredDependency;
  /** The workspace whose dependency brings the package in ('' for the root). */
  readonly workspace?: string;
}

export interface EvaluateInput {
  /** The root package.json first, then the workspaces'. */
  readonly manifests: readonly ProjectManifest[];
  /** Only packages this workspace brings in ('' for all). */
  readonly focus?: string;
  readonly lockfile?: Lockfile;
  /** How the project's package manager pins a transitive package; npm's `overrides` by default. */
  readonly overrides?: OverrideMechanism;
  readonly policy: Policy;
  readonly now: Date;
  readonly source: HistorySource;
  readonly fix: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: { phase: string; done: number; total: number }) => void;
}

export interface Evaluation {
  readonly findings: Finding[];
  readonly packages: PackageCoverage[];
  readonly errors: AuditError[];
  readonly fixes: FixPlan[];
}

export async function evaluateProject(input: EvaluateInput): Promise<Evaluation> {
  const targets = collectTargets(input.manifests, input.lockfile, input.policy, input.focus ?? '');
  const names = [...new Set(targets.filter((t) => t.source === 'registry').map((t) => t.name))].sort();
  input.onProgress?.({ phase: 'registry', done: 0, total: names.length });
  const histories = await input.source.getHistories(names, {
    signal: input.signal,
    now: input.now,
    onProgress: (p) => input.onProgress?.({ phase: 'registry', ...p }),
  });
  const evaluation = judge(targets, histories, input);
  if (input.lockfile) {
    evaluation.findings.push(...checkLockfileEntries(input.lockfile, histories, input));
    evaluation.findings.sort(compareFindings);
    evaluation.errors.push(...staleExclusions(input.policy, targets, input.lockfile.file));
  }
  return evaluation;
}

/**
 * The lockfile-entry rule an audit runs too (`integrity-mismatch`), on every locked copy rather than
 * one per name@version: nested copies of one version may carry different integrities.
 */
function checkLockfileEntries(lockfile: Lockfile, histories: Map<string, HistoryResult>, input: EvaluateInput): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const focus = input.focus ?? '';
  for (const entry of lockfile.packages) {
    if (!input.policy.include.includes(kindOf(entry)) || (focus !== '' && entry.workspace !== focus)) continue;
    const result = histories.get(entry.name);
    const key = JSON.stringify([entry.name, entry.version, entry.integrity ?? null]);
    if (result?.status !== 'ok' || seen.has(key)) continue;
    seen.add(key);
    for (const raw of integrityMismatch.check({ entry, format: lockfile.format, history: result.history, policy: input.policy, now: input.now })) {
      const finding = applyPolicy(raw, input.policy);
      if (finding === undefined) continue;
      findings.push({
        ...finding,
        ...(entry.location ? { location: entry.location, lockfileLocation: entry.location } : {}),
        ...(entry.direct ? {} : { via: entry.via }),
        ...(entry.workspace ? { workspace: entry.workspace } : {}),
      });
    }
  }
  return findings;
}

/**
 * Exclusions from the release-age policy that match no locked package: left over from a package
 * that is gone, they would silently exempt a future package of that name (or a typo-squat of it).
 */
export function staleExclusions(policy: Policy, targets: readonly Target[], lockfile: string): AuditError[] {
  const origin = policy.origins.minReleaseAgeExclude ?? 'the release-age exclusions';
  return policy.minReleaseAgeExclude
    .filter((pattern) => !targets.some((t) => isExcluded(t.name, [pattern.replace(/@[^/@]*$/, '')]) || isExcluded(t.name, [pattern])))
    .map((pattern) => ({
      kind: 'stale-exclusion',
      message: `${origin}: "${pattern}" matches no package in ${lockfile}; remove it, or it will exempt a future package of that name from the waiting period.`,
    }));
}

/**
 * The packages to check: every locked package of an included kind (only those the focused workspace
 * brings in, when there is a focus), or the declared ones when there is no lockfile.
 */
export function collectTargets(manifests: readonly ProjectManifest[], lockfile: Lockfile | undefined, policy: Policy, focus = ''): Target[] {
  const declaredBy = new Map(
    manifests.map((m) => [m.path, new Map(m.manifest.dependencies.filter((d) => d.kind !== 'override').map((d) => [d.name, d]))]),
  );
  const included = (kind: DependencyKind) => policy.include.includes(kind);
  if (!lockfile) {
    return manifests
      .filter((m) => focus === '' || m.path === focus)
      .flatMap((m) => m.manifest.dependencies)
      .filter((d) => d.kind !== 'override' && included(d.kind))
      .map((d) => ({
        name: d.registryName,
        version: d.range && semver.valid(d.range) ? semver.valid(d.range) ?? undefined : undefined,
        range: d.range,
        direct: true,
        kind: d.kind as DependencyKind,
        source: d.source,
        via: [d.registryName],
        location: d.specLocation,
        declared: d,
      }));
  }
  const byId = new Map<string, Target>();
  for (const p of lockfile.packages) {
    const kind = kindOf(p);
    if (!included(kind) || (focus !== '' && p.workspace !== focus)) continue;
    const declared = p.direct ? declarationOf(declaredBy.get(p.workspace), p) : undefined;
    const target: Target = {
      name: p.name,
      version: p.version,
      range: declared?.range,
      direct: p.direct,
      kind,
      source: p.source,
      via: p.via,
      location: declared?.specLocation ?? p.location,
      lockfileLocation: p.location,
      declared,
      workspace: p.workspace,
    };
    const id = `${p.name}@${p.version}`;
    const prior = byId.get(id);
    // One entry per name@version: the direct one if any, else the one with the shortest path.
    if (!prior || (target.direct && !prior.direct) || (target.direct === prior.direct && target.via.length < prior.via.length)) {
      byId.set(id, target);
    }
  }
  return [...byId.values()];
}

/**
 * The package.json entry that declares a direct dependency: by the key it is installed under (the
 * alias, for npm's `node_modules/<alias>` keys), else by the name it resolves to (pnpm, Yarn and Bun
 * keys name the registry package, so an aliased entry is found by its target).
 */
function declarationOf(declared: ReadonlyMap<string, DeclaredDependency> | undefined, p: LockedPackage): DeclaredDependency | undefined {
  if (!declared) return undefined;
  const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)$/.exec(p.key);
  const byKey = declared.get(match ? match[1] : p.name);
  if (byKey) return byKey;
  return [...declared.values()].find((d) => d.registryName === p.name && d.source === p.source);
}

function kindOf(p: LockedPackage): DependencyKind {
  if (p.dev) return 'dev';
  if (p.optional) return 'optional';
  if (p.peer) return 'peer';
  return 'prod';
}

/** The version a fresh install would take for `range`: the dist-tag, `latest` when it satisfies, else the highest match. */
export function resolveRange(history: PackageHistory, range: string): string | undefined {
  // Own keys only: a range such as `constructor` or `toString` would otherwise read Object.prototype (issue 7).
  const tagged = Object.hasOwn(history.distTags, range) ? history.distTags[range] : undefined;
  if (tagged) return tagged;
  const latest = history.distTags.latest;
  if (latest && semver.satisfies(latest, range, { loose: true })) return latest;
  return semver.maxSatisfying(history.versions.map((v) => v.version), range, { loose: true }) ?? undefined;
}

function judge(targets: readonly Target[], histories: Map<string, HistoryResult>, input: EvaluateInput): Evaluation {
  const { policy, now } = input;
  const findings: Finding[] = [];
  const packages: PackageCoverage[] = [];
  const errors: AuditError[] = [];
  const fixes: FixPlan[] = [];
  const reported = new Set<string>();
  for (const target of targets) {
    const coverage = { name: target.name, direct: target.direct, dev: target.kind === 'dev', optional: target.kind === 'optional', source: target.source };
    if (target.source !== 'registry') {
      const reason = `not from the registry (${describeSource(target.source)}); not checked`;
      packages.push({ ...coverage, version: target.version ?? target.declared?.spec ?? '', checked: false, reason });
      continue;
    }
    const result = histories.get(target.name);
    if (!result || result.status !== 'ok') {
      const message = result?.message ?? `${target.name} was not looked up.`;
      packages.push({ ...coverage, version: target.version ?? target.range ?? '', checked: false, reason: message });
      if (!reported.has(target.name)) {
        reported.add(target.name);
        errors.push({ kind: result?.status ?? 'error', package: target.name, message, location: target.location });
      }
      continue;
    }
    const history = result.history;
    const version = target.version ?? (target.range ? resolveRange(history, target.range) : undefined);
    if (!version) {
      const reason = `no published version of ${target.name} satisfies "${target.range}"`;
      packages.push({ ...coverage, version: target.range ?? '', checked: false, reason });
      errors.push({ kind: 'no-match', package: target.name, message: `${target.name}: ${reason}.`, location: target.location });
      continue;
    }
    packages.push({
      ...coverage,
      version,
      checked: true,
      ...(result.stale ? { reason: describeStaleFacts(result.fetchedAt, result.staleBecause, now) } : {}),
    });
    const own = rules
      .flatMap((rule) => rule.check({ history, version, range: target.direct ? target.range : undefined, policy, now }))
      .map((f) => applyPolicy(f, policy))
      .filter((f): f is Finding => f !== undefined)
      .map((f) => ({
        ...f,
        ...(target.location ? { location: target.location } : {}),
        ...(target.direct ? {} : { via: target.via }),
        ...(target.workspace ? { workspace: target.workspace } : {}),
        ...(target.lockfileLocation ? { lockfileLocation: target.lockfileLocation } : {}),
      }));
    findings.push(...own);
    if (input.fix) {
      const plan = planFix(target, version, history, own, input);
      if (plan) fixes.push(plan);
    }
  }
  findings.sort(compareFindings);
  packages.sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
  return { findings, packages, errors, fixes };
}

/** Applies per-rule severity overrides and ignore entries; undefined when the finding is silenced. */
export function applyPolicy(finding: Finding, policy: Policy): Finding | undefined {
  if (isIgnored(policy, finding.rule, finding.package, finding.version)) return undefined;
  const level = policy.severities[finding.rule];
  if (level === 'off') return undefined;
  return level ? { ...finding, severity: level } : finding;
}

const SEVERITY_RANK = { error: 0, warning: 1, info: 2 } as const;

export function compareFindings(a: Finding, b: Finding): number {
  return (
    SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
    (a.location?.file ?? '').localeCompare(b.location?.file ?? '') ||
    (a.location?.offset ?? 0) - (b.location?.offset ?? 0) ||
    a.package.localeCompare(b.package) ||
    a.rule.localeCompare(b.rule)
  );
}

function planFix(target: Target, version: string, history: PackageHistory, own: readonly Finding[], input: EvaluateInput): FixPlan | undefined {
  const actionable = own.filter((f) => f.severity !== 'info');
  if (actionable.length === 0) return undefined;
  const onlyRange = actionable.every((f) => f.rule === 'fresh-range');
  const declared = target.declared;
  const choice = pickPinVersion({
    history,
    current: version,
    range: declared?.range,
    policy: input.policy,
    now: input.now,
    rules,
    allowCurrent: onlyRange,
  });
  if (!choice) return undefined;
  const base = { package: target.name, from: version, to: choice.version, toPublishedAt: choice.publishedAt, addresses: [...new Set(actionable.map((f) => f.rule))] };
  if (declared && target.direct) {
    if (declared.spec === choice.version) return undefined;
    return { ...base, kind: 'pin', file: declared.specLocation.file, edits: [pinEdit(declared, choice.version)] };
  }
  // Overrides live at the project root, in the manager's own setting.
  const mechanism = input.overrides ?? overrideMechanism('npm', input.manifests[0].text);
  const edits = mechanism.edits(target.name, choice.version);
  return edits === undefined ? undefined : { ...base, kind: 'override', file: mechanism.file, edits };
}
