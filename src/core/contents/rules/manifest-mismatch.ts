/** Flags a tarball whose own package.json disagrees with the registry's metadata on scripts, dependencies or bin (manifest confusion). */

import { formatList, quote } from '../../format';
import type { Finding, Severity } from '../../types';
import { normaliseBin } from '../summarize';
import type { ContentsRule } from '../types';

const ID = 'manifest-mismatch';
const HOOKS = ['preinstall', 'install', 'postinstall'];

export const manifestMismatch: ContentsRule = {
  meta: {
    id: ID,
    defaultSeverity: 'error',
    description: "The tarball's package.json disagrees with the registry's metadata on scripts, dependencies or bin.",
  },
  check: ({ name, version, after, published }) => {
    const manifest = after.manifest;
    if (published === undefined || manifest === undefined) return [];
    const hasGyp = after.files.some((file) => file.path === 'binding.gyp');
    const tarScripts = withImplicitGyp(manifest.scripts, hasGyp);
    const regScripts = withImplicitGyp(published.scripts ?? {}, hasGyp || published.gypfile === true);

    const differences: string[] = [];
    let severity = 'info' as Severity;
    const raise = (level: Severity): void => {
      if (level === 'error' || (level === 'warning' && severity === 'info')) severity = level;
    };
    for (const key of unionKeys(tarScripts, regScripts)) {
      const a = tarScripts[key];
      const b = regScripts[key];
      // A full packument lists no `scripts` when the package has none, so a missing field means "none".
      if (a === b) continue;
      raise(HOOKS.includes(key) ? 'error' : 'info');
      differences.push(`scripts.${key}: tarball ${a === undefined ? 'has none' : quote(a, 60)}, registry ${b === undefined ? 'has none' : quote(b, 60)}`);
    }
    // npm folds optionalDependencies into dependencies when it publishes.
    const tarDeps = { ...manifest.dependencies, ...manifest.optionalDependencies };
    const regDeps = { ...(published.dependencies ?? {}), ...(published.optionalDependencies ?? {}) };
    const depDiffs = unionKeys(tarDeps, regDeps).filter((key) => tarDeps[key] !== regDeps[key]);
    if (depDiffs.length > 0) {
      raise('warning');
      const shown = depDiffs.slice(0, 5).map((key) => `${key} (tarball ${tarDeps[key] ?? 'none'}, registry ${regDeps[key] ?? 'none'})`);
      differences.push(`dependencies: ${formatList(shown)}${depDiffs.length > 5 ? ` and ${depDiffs.length - 5} more` : ''}`);
    }
    if (Object.keys(manifest.bin).length > 0 && published.bin !== undefined) {
      const regBin = normaliseBin(published.bin, name);
      const binDiffs = unionKeys(manifest.bin, regBin).filter((key) => manifest.bin[key] !== regBin[key]);
      if (binDiffs.length > 0) {
        raise('warning');
        differences.push(`bin: ${formatList(binDiffs.slice(0, 5).map((key) => `${key} (tarball ${manifest.bin[key] ?? 'none'}, registry ${regBin[key] ?? 'none'})`))}`);
      }
    }
    if (differences.length === 0) return [];
    const fact = `${name}@${version}: the package.json inside the tarball disagrees with the registry's metadata: ${differences.join('; ')}.`;
    const advice =
      severity === 'error'
        ? 'npm runs the install scripts of the tarball, not those the registry shows, so reviews of the metadata miss them: read the tarball’s package.json before installing.'
        : 'Tools that read the registry’s metadata and tools that read the tarball see different packages: check which one is right before installing.';
    const finding: Finding = { rule: ID, severity, package: name, version, message: `${fact} ${advice}`, evidence: { differences } };
    return [finding];
  },
};

function withImplicitGyp(scripts: Readonly<Record<string, string>>, gyp: boolean): Record<string, string> {
  const out = { ...scripts };
  if (gyp && out['install'] === undefined && out['preinstall'] === undefined) out['install'] = 'node-gyp rebuild';
  return out;
}

function unionKeys(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}
