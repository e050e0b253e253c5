/** Flags a lockfile entry whose explicit tarball URL is not where the registry publishes that version. */

import { findVersion } from '../../history';
import { describeUrl, normaliseTarballUrl } from '../sources';
import type { EntryRule } from './types';

export const tarballUrlMismatch: EntryRule = {
  meta: {
    id: 'tarball-url-mismatch',
    defaultSeverity: 'error',
    description: "The lockfile's tarball URL for a registry package is not the registry's dist.tarball for that version.",
  },
  kind: 'entry',
  check: ({ entry, history, registry }) => {
    if (history === undefined || entry.source !== 'registry' || entry.resolved === undefined) return [];
    const facts = findVersion(history, entry.version);
    const resolved = normaliseTarballUrl(entry.resolved);
    if (facts === undefined || resolved === undefined) return [];
    const published = facts.tarball === undefined ? undefined : normaliseTarballUrl(facts.tarball);
    if (resolved === published || isOnRegistry(resolved, published, registry, entry.name, entry.version)) return [];
    const name = `${entry.name}@${entry.version}`;
    const expected = facts.tarball ?? registryTarball(registry ?? '', entry.name, entry.version);
    return [
      {
        rule: 'tarball-url-mismatch',
        severity: 'error',
        package: entry.name,
        version: entry.version,
        message:
          `${name} is locked to ${describeUrl(entry.resolved)}, but the registry publishes it at ${describeUrl(expected)}. ` +
          'The package manager downloads from the lockfile\'s URL, so this installs whatever that address serves. ' +
          `Restore the registry's URL (reinstall ${name}), unless the project deliberately hosts this tarball elsewhere.`,
        evidence: { resolved: describeUrl(entry.resolved), registryTarball: describeUrl(expected) },
      },
    ];
  },
};

/**
 * Registries and mirrors serve a package's tarballs under their own address (npm's
 * `replace-registry-host`): the configured registry's standard path for this version, or the
 * published path on the configured registry's host, is the same file.
 */
function isOnRegistry(resolved: string, published: string | undefined, registry: string | undefined, name: string, version: string): boolean {
  if (registry === undefined || !URL.canParse(registry)) return false;
  if (resolved === normaliseTarballUrl(registryTarball(registry, name, version))) return true;
  if (published === undefined) return false;
  const here = new URL(resolved);
  const there = new URL(published);
  const configured = new URL(normaliseTarballUrl(registry) ?? registry);
  return here.host === configured.host && here.protocol === configured.protocol && here.pathname === there.pathname;
}

/** `<registry>/<name>/-/<basename>-<version>.tgz`, as npm lays out tarballs. */
function registryTarball(registry: string, name: string, version: string): string {
  const base = name.startsWith('@') ? name.slice(name.indexOf('/') + 1) : name;
  return `${registry.endsWith('/') ? registry : `${registry}/`}${name}/-/${base}-${version}.tgz`;
}
