/**
 * Reads one revision's project configuration for a review: its policy, its registries and what the
 * review compares (ProjectConfig). The registry readers read files from disk, so the revision's
 * `.npmrc`, `.yarnrc.yml` and `bunfig.toml` are copied into a private folder that mirrors the
 * repository's layout, and read from there: the working tree may hold another revision's files.
 */

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import type { ResolvedRegistry } from '../audit';
import { readProjectPolicy } from '../manager-policy';
import { buildPolicy, type UserPolicySettings } from '../policy';
import type { ProjectFiles } from '../project';
import { readNpmConfigFor, registryManagerFor, resolveRegistryConfig } from '../registry/registry-config';
import { redactUrl } from '../registry/registry-url';
import type { AuditError, Policy } from '../types';
import { inProject } from './config-diff';
import { roleOf } from './files';
import type { RevisionFiles } from './git';
import type { ProjectConfig } from './types';

/** The files each manager's registry reader looks for; Yarn also in every parent folder. */
const REGISTRY_FILES = ['.npmrc', '.yarnrc.yml', 'bunfig.toml'];

export interface RevisionConfigInput {
  readonly revision: RevisionFiles;
  /** The repository root (absolute). */
  readonly top: string;
  /** The project's folder, relative to the repository root ('' for the root). */
  readonly dir: string;
  readonly project: ProjectFiles;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly user: UserPolicySettings;
  /** Where the private folder is made (the cache folder: its parents are the user's own). */
  readonly scratch?: string;
}

export interface RevisionConfig {
  readonly config: ProjectConfig;
  readonly policy: Policy;
  readonly registry: ResolvedRegistry;
  readonly errors: AuditError[];
}

/** Reads the revision's configuration. Never throws for bad files: they become errors of kind `config`. */
export async function readRevisionConfig(input: RevisionConfigInput): Promise<RevisionConfig> {
  const { revision, project, dir } = input;
  const rootManifest = project.manifests[0]!.manifest;
  const rootText = project.manifests[0]!.text;
  const manager = registryManagerFor({ lockfileFormat: project.lockfile?.format, lockfileManager: project.choice?.manager, packageManager: rootManifest.packageManager });
  const scratch = await mkdtemp(join(input.scratch ?? tmpdir(), 'review-'));
  try {
    for (const folder of ancestors(dir)) {
      for (const name of REGISTRY_FILES) {
        const text = await revision.read(inProject(folder, name));
        if (text === undefined) continue;
        await mkdir(join(scratch, folder), { recursive: true });
        await writeFile(join(scratch, folder, name), text);
      }
    }
    const mirror = join(scratch, dir);
    const untemp = (text: string): string => text.split(`${scratch}${sep}`).join('');
    const npmConfig = await readNpmConfigFor({ dir: mirror, env: input.env, trustProject: true, manager });
    const projectPolicy = await readProjectPolicy({
      root: project.root,
      manager: project.choice?.manager ?? 'npm',
      rootManifest,
      rootManifestText: rootText,
      npmConfig,
      env: input.env,
      readText: (path) => revision.read(relativeTo(input.top, path)),
    });
    const { policy, errors: policyErrors } = buildPolicy(projectPolicy.sources, input.user);
    const registry = await resolveRegistryConfig({ dir: mirror, env: input.env, trustProject: true, manager, npmConfig });
    const errors: AuditError[] = [
      ...npmConfig.errors.map((e) => ({ kind: 'config', ...e })),
      ...projectPolicy.errors,
      ...policyErrors.map((e) => ({ kind: 'config', ...e })),
      ...registry.errors.map((e) => ({ kind: 'config', ...e })),
    ].map((e) => ({ ...e, message: untemp(e.message), ...(e.file !== undefined ? { file: untemp(e.file) } : {}) }));
    const sources = projectPolicy.sources;
    const origin = (text: string | undefined): string | undefined => (text === undefined ? undefined : inRepository(untemp(text), dir));
    const minDays = sources.minReleaseAge === undefined ? undefined : Number(sources.minReleaseAge.value);
    const config: ProjectConfig = {
      ...(project.lockfile ? { lockfile: project.lockfile.file, manager: project.choice?.manager ?? project.lockfile.format } : {}),
      ...(rootManifest.packageManager !== undefined ? { packageManager: rootManifest.packageManager } : {}),
      ...(minDays !== undefined && Number.isFinite(minDays) && minDays >= 0 ? { minReleaseAge: { days: minDays, origin: origin(sources.minReleaseAge?.origin) ?? '' } } : {}),
      minReleaseAgeExclude: [...(sources.minReleaseAgeExclude?.value ?? [])],
      ...(sources.minReleaseAgeExclude ? { minReleaseAgeExcludeOrigin: origin(sources.minReleaseAgeExclude.origin) } : {}),
      allowScripts: { ...(sources.allowScripts ?? {}) },
      ...(sources.allowScripts !== undefined ? { allowScriptsOrigin: origin(sources.allowScriptsOrigin ?? 'package.json allowScripts') } : {}),
      ...(sources.trustPolicy ? { trustPolicy: sources.trustPolicy.value } : {}),
      registry: redactUrl(registry.registry),
      scopes: Object.fromEntries(Object.entries(registry.scopes).map(([scope, url]) => [scope, redactUrl(url)])),
      registryFile: inProject(dir, manager === 'yarn' ? '.yarnrc.yml' : manager === 'bun' ? 'bunfig.toml' : '.npmrc'),
      managerCode: managerCode(revision, dir),
      pins: await pins(revision, dir, rootText),
    };
    return {
      config,
      policy: { ...policy, origins: Object.fromEntries(Object.entries(policy.origins).map(([key, value]) => [key, untemp(value)])) },
      registry: { registry: registry.registry, scopes: registry.scopes, npmOptions: registry.npmOptions },
      errors,
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** '', 'apps', 'apps/web' for 'apps/web': the folders whose .yarnrc.yml Yarn reads. */
function ancestors(dir: string): string[] {
  const parts = dir === '' ? [] : dir.split('/');
  return [''].concat(parts.map((_, i) => parts.slice(0, i + 1).join('/')));
}

function relativeTo(top: string, path: string): string {
  const relative = path.startsWith(`${top}${sep}`) ? path.slice(top.length + 1) : path;
  return relative.split(sep).join('/');
}

/**
 * An origin as the report shows it: files of the project relative to the repository root
 * (`apps/web/.npmrc min-release-age`); settings of the environment or the user stay as they are.
 */
function inRepository(origin: string, dir: string): string {
  const first = origin.split(' ')[0] ?? '';
  if (first.startsWith('/') || /^[A-Za-z]:[\\/]/.test(first)) return origin;
  // npm origins are paths in the mirror, already relative to the root after untemp; the others name project files.
  if (first.includes('/') || roleOf(first) === undefined) return origin;
  return inProject(dir, origin);
}

/** Package-manager code the project commits, by path (relative to the project) -> content id. */
function managerCode(revision: RevisionFiles, dir: string): Record<string, string> {
  const code: Record<string, string> = {};
  for (const [path, id] of revision.files) {
    const role = roleOf(path);
    if (role !== 'yarn-release' && role !== 'yarn-plugin' && role !== 'pnpm-hook') continue;
    const inside = dir === '' ? path : path.startsWith(`${dir}/`) ? path.slice(dir.length + 1) : undefined;
    if (inside === undefined || (role === 'pnpm-hook' && inside.includes('/'))) continue;
    if (role !== 'pnpm-hook' && !inside.startsWith('.yarn/')) continue;
    code[inside] = id;
  }
  return code;
}

/** What pins or patches packages: package.json `overrides` / `resolutions` / `pnpm.overrides` / `pnpm.patchedDependencies`, and patch files. */
async function pins(revision: RevisionFiles, dir: string, manifestText: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  const manifest: unknown = parseJsonc(manifestText, [], { allowTrailingComma: true });
  const record = manifest !== null && typeof manifest === 'object' && !Array.isArray(manifest) ? (manifest as Record<string, unknown>) : {};
  const pnpm = record.pnpm !== null && typeof record.pnpm === 'object' ? (record.pnpm as Record<string, unknown>) : {};
  const fields: [string, unknown][] = [
    ['package.json overrides', own(record, 'overrides')],
    ['package.json resolutions', own(record, 'resolutions')],
    ['package.json pnpm.overrides', own(pnpm, 'overrides')],
    ['package.json pnpm.patchedDependencies', own(pnpm, 'patchedDependencies')],
  ];
  for (const [name, value] of fields) if (value !== undefined) result[name] = JSON.stringify(value);
  const workspace = await revision.read(inProject(dir, 'pnpm-workspace.yaml'));
  if (workspace !== undefined) {
    const { parseDocument } = await (await import('../lockfile/load-parsers')).loadParsers();
    const doc: unknown = parseDocument(workspace).toJS({ maxAliasCount: 100 });
    const yaml = doc !== null && typeof doc === 'object' ? (doc as Record<string, unknown>) : {};
    for (const key of ['overrides', 'patchedDependencies']) {
      const value = own(yaml, key);
      if (value !== undefined) result[`pnpm-workspace.yaml ${key}`] = JSON.stringify(value);
    }
  }
  for (const [path, id] of revision.files) {
    if (roleOf(path) !== 'patch') continue;
    const inside = dir === '' ? path : path.startsWith(`${dir}/`) ? path.slice(dir.length + 1) : undefined;
    if (inside !== undefined) result[inside] = id;
  }
  return result;
}

function own(record: Readonly<Record<string, unknown>>, key: string): unknown {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
