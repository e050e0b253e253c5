/** Audits one project folder: reads its files, asks the registry for histories, runs the rules, returns an AuditReport. */

import { readFile } from 'node:fs/promises';
import type { HistorySource } from './registry/types';
import type { AuditError, AuditReport, DependencyKind, SeverityLevel } from './types';
import { loadProject } from './project';
import { buildPolicy, type UserPolicySettings } from './policy';
import { readNpmConfigFor, registryManagerFor, resolveRegistryConfig } from './registry/registry-config';
import type { NetworkDefaults } from './registry/registry-settings';
import { evaluateProject } from './evaluate';
import { readProjectPolicy } from './manager-policy';
import { overrideMechanism, type OverrideMechanism } from './fix';
import { loadParsers } from './lockfile/load-parsers';
import type { PackageManager } from './lockfile';
import { join } from 'node:path';

export interface AuditOptions {
  readonly dir: string;
  readonly now: Date;
  readonly minAgeDays?: number;
  readonly include?: readonly DependencyKind[];
  /** Overrides the registry from .npmrc. */
  readonly registry?: string;
  readonly offline?: boolean;
  readonly refresh?: boolean;
  readonly cacheDir?: string;
  /** Per-rule severity overrides (`off` silences a rule). */
  readonly severities?: Readonly<Record<string, SeverityLevel>>;
  /** Findings to ignore: `rule:pkg@version`, `rule:pkg`, `pkg@version`, `pkg`. */
  readonly ignore?: readonly string[];
  /** False to ignore the project's own policy files. Default true. */
  readonly followProjectPolicy?: boolean;
  /** Plan fixes for the findings. */
  readonly fix?: boolean;
  /** Environment for npm config (`npm_config_*`, `${VAR}` in .npmrc). Defaults to none. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** False in an untrusted workspace: the project's .npmrc, .yarnrc.yml and bunfig.toml are not read. */
  readonly trustProject?: boolean;
  /** The editor's proxy settings (VS Code `http.proxy`, `http.noProxy`, `http.proxyStrictSSL`), used where the package manager's files set none. */
  readonly network?: NetworkDefaults;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: { phase: string; done: number; total: number }) => void;
}

/** The registry settings resolved from npm's configuration and the options. */
export interface ResolvedRegistry {
  readonly registry: string;
  readonly scopes: Readonly<Record<string, string>>;
  readonly npmOptions: Readonly<Record<string, string | boolean | readonly string[]>>;
}

export interface AuditDeps {
  /** Supplies histories; overrides `createSource`. */
  readonly source?: HistorySource;
  /** Makes the history source for the resolved registry settings (the editor keeps one per setting). */
  readonly createSource?: (registry: ResolvedRegistry) => HistorySource | Promise<HistorySource>;
  /** Reads a file of the project by absolute path (the editor reads open documents first); undefined when missing. */
  readonly readFile?: (path: string) => Promise<string | undefined>;
  /** Told which files the registry settings came from, and which project files were not read because the project is not trusted. */
  readonly onRegistryConfig?: (config: { readonly manager: string; readonly files: readonly string[]; readonly skipped: readonly string[] }) => void;
}

export const DEFAULT_REGISTRY = 'https://registry.npmjs.org/';

/**
 * Audits the project that `dir` belongs to: its package.json files and the lockfile its package
 * manager reads (a workspace folder is audited with its root's lockfile, for the packages it brings
 * in). Never throws for bad input: a missing package.json is an error of kind `fatal`; unreadable
 * files and failed lookups are errors next to the findings, and everything else is still checked.
 */
export async function auditProject(options: AuditOptions, deps: AuditDeps = {}): Promise<AuditReport> {
  const readText = deps.readFile ?? readTextFile;
  const project = await loadProject(options.dir, readText);
  if (!project) {
    const { policy } = buildPolicy({}, userSettings(options));
    return emptyReport(options, policy, [
      { kind: 'fatal', file: 'package.json', message: `${options.dir} has no readable package.json: nothing to audit.` },
    ]);
  }
  const errors: AuditError[] = [...project.errors];
  const rootManifest = project.manifests[0].manifest;

  const manager = registryManagerFor({ lockfileFormat: project.lockfile?.format, lockfileManager: project.choice?.manager, packageManager: rootManifest.packageManager });
  const npmConfig = await readNpmConfigFor({ dir: project.root, env: options.env ?? {}, trustProject: options.trustProject, manager });
  errors.push(...npmConfig.errors.map((e) => ({ kind: 'config', ...e })));
  const projectPolicy = await readProjectPolicy({
    root: project.root,
    manager: project.choice?.manager ?? 'npm',
    rootManifest,
    rootManifestText: project.manifests[0].text,
    npmConfig,
    env: options.env ?? {},
    readText,
  });
  errors.push(...projectPolicy.errors);
  const { policy, errors: policyErrors } = buildPolicy(projectPolicy.sources, userSettings(options));
  errors.push(...policyErrors.map((e) => ({ kind: 'config', ...e })));

  const configured = await resolveRegistryConfig({ dir: project.root, env: options.env ?? {}, trustProject: options.trustProject, manager, npmConfig, network: options.network });
  errors.push(...configured.errors.map((e) => ({ kind: 'config', ...e })));
  deps.onRegistryConfig?.({ manager, files: configured.files, skipped: configured.skipped });
  const resolved: ResolvedRegistry = {
    registry: options.registry ?? configured.registry,
    scopes: configured.scopes,
    npmOptions: configured.npmOptions,
  };
  const source = deps.source ?? (deps.createSource ? await deps.createSource(resolved) : await defaultSource(resolved, options));

  const evaluation = await evaluateProject({
    manifests: project.manifests,
    overrides: options.fix ? await overridesFor(project.choice?.manager ?? 'npm', project.root, project.manifests[0].text, readText) : undefined,
    focus: project.focus,
    lockfile: project.lockfile,
    policy,
    now: options.now,
    source,
    fix: options.fix === true,
    signal: options.signal,
    onProgress: options.onProgress,
  });
  const { lockfile, choice } = project;
  return {
    schemaVersion: 1,
    root: project.root,
    ...(lockfile && choice ? { lockfile: { file: lockfile.file, manager: choice.manager, format: lockfile.format, reason: choice.reason } } : {}),
    now: options.now.toISOString(),
    policy,
    findings: evaluation.findings,
    packages: evaluation.packages,
    errors: [...errors, ...evaluation.errors],
    fixes: evaluation.fixes,
  };
}

async function overridesFor(manager: PackageManager, root: string, rootText: string, readText: (path: string) => Promise<string | undefined>): Promise<OverrideMechanism> {
  const workspaceText = manager === 'pnpm' ? await readText(join(root, 'pnpm-workspace.yaml')) : undefined;
  if (workspaceText === undefined) return overrideMechanism(manager, rootText);
  const { parseDocument } = await loadParsers();
  return overrideMechanism(manager, rootText, { text: workspaceText, yaml: { parseDocument } });
}

function userSettings(options: AuditOptions): UserPolicySettings {
  return {
    minReleaseAgeDays: options.minAgeDays,
    include: options.include,
    severities: options.severities,
    ignore: options.ignore,
    followProjectPolicy: options.followProjectPolicy,
  };
}

async function defaultSource(resolved: ResolvedRegistry, options: AuditOptions): Promise<HistorySource> {
  const { createRegistryClient } = await import('./registry/client');
  return createRegistryClient({ ...resolved, cacheDir: options.cacheDir, offline: options.offline, refresh: options.refresh });
}

async function readTextFile(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    // A missing or unreadable file is reported by the caller, which knows what it meant.
    return undefined;
  }
}

function emptyReport(options: AuditOptions, policy: AuditReport['policy'], errors: AuditError[]): AuditReport {
  return { schemaVersion: 1, root: options.dir, now: options.now.toISOString(), policy, findings: [], packages: [], errors, fixes: [] };
}
