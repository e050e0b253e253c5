/** Names the dependency changes of a project without a lockfile: what its package.json files declare, at two revisions. */

import semver from 'semver';
import type { DeclaredDependency } from '../types';
import type { ProjectManifest } from '../project';
import { inProject } from './config-diff';
import type { PackageChange, SemverLevel } from './types';

type Declared = DeclaredDependency & { readonly kind: Exclude<DeclaredDependency['kind'], 'override'> };

/**
 * Compares declared dependencies by manifest and name: a new name is `added`, a gone one `removed`,
 * another spec `upgraded` / `downgraded` when both are exact versions, else `changed`. Locations
 * point at the head manifest's spec; files are made relative to the repository root with `dir`.
 */
export function diffDeclared(before: readonly ProjectManifest[] | undefined, after: readonly ProjectManifest[], dir: string): PackageChange[] {
  const index = (manifests: readonly ProjectManifest[] | undefined) =>
    new Map(
      (manifests ?? []).flatMap((m) =>
        m.manifest.dependencies.filter((d): d is Declared => d.kind !== 'override').map((d) => [`${m.path}\u0000${d.name}`, { path: m.path, d }] as const),
      ),
    );
  const old = index(before);
  const now = index(after);
  const changes: PackageChange[] = [];
  for (const [key, { path, d }] of now) {
    const previous = old.get(key)?.d;
    if (previous !== undefined && previous.spec === d.spec) continue;
    const base = {
      file: inProject(dir, d.specLocation.file),
      name: d.registryName,
      direct: true,
      scope: d.kind,
      ...(path !== '' ? { workspace: path } : {}),
      source: d.source,
      location: { ...d.specLocation, file: inProject(dir, d.specLocation.file) },
    };
    if (previous === undefined) {
      changes.push({ ...base, kind: 'added', to: d.spec, message: `${d.registryName} ${d.spec} (new)` });
      continue;
    }
    const from = semver.valid(previous.spec);
    const to = semver.valid(d.spec);
    const kind = from !== null && to !== null ? (semver.gt(to, from) ? 'upgraded' : 'downgraded') : 'changed';
    const level = from !== null && to !== null ? ((semver.diff(from, to) ?? undefined) as SemverLevel | undefined) : undefined;
    changes.push({ ...base, kind, from: previous.spec, to: d.spec, ...(level ? { level } : {}), message: `${d.registryName} ${previous.spec} → ${d.spec}${level ? ` (${level}${kind === 'downgraded' ? ' downgrade' : ''})` : ''}` });
  }
  for (const [key, { path, d }] of old) {
    if (now.has(key)) continue;
    changes.push({
      kind: 'removed',
      file: inProject(dir, d.specLocation.file),
      name: d.registryName,
      from: d.spec,
      direct: true,
      scope: d.kind,
      ...(path !== '' ? { workspace: path } : {}),
      source: d.source,
      message: `${d.registryName} ${d.spec} removed`,
    });
  }
  return changes.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
