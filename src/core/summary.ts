/** Summarises what the registry says about one version, for the editor's hover: pure facts, no formatting. */

import type { InstallScripts, PackageHistory, TrustLevel } from './types';
import { findVersion, hasInstallScripts, INSTALL_HOOKS, trustLevel } from './history';

export interface VersionSummary {
  readonly name: string;
  readonly version: string;
  /** False when the registry no longer lists the version. */
  readonly present: boolean;
  readonly publishedAt?: string;
  readonly latest?: { readonly version: string; readonly publishedAt?: string };
  readonly installScripts?: InstallScripts;
  /** The earliest version, going back without a break, that ran the same install scripts. */
  readonly installScriptsSince?: string;
  /** How that version came by its scripts: `added` (the release before had none), `changed`, or `first` release. */
  readonly installScriptsChange?: 'added' | 'changed' | 'first';
  readonly publisher?: string;
  /** Whether the publisher published an earlier version (undefined when the registry does not say). */
  readonly publisherPublishedBefore?: boolean;
  readonly trustedPublisher?: string;
  readonly trust?: TrustLevel;
  readonly repository?: string;
  readonly deprecated?: string;
}

export function summariseVersion(history: PackageHistory, version: string): VersionSummary {
  const facts = findVersion(history, version);
  const latestVersion = history.distTags.latest;
  const latest = latestVersion ? { version: latestVersion, publishedAt: findVersion(history, latestVersion)?.publishedAt } : undefined;
  if (!facts) {
    const removed = history.removed.find((r) => r.version === version);
    return { name: history.name, version, present: false, publishedAt: removed?.publishedAt, latest };
  }
  const index = history.versions.indexOf(facts);
  let since: string | undefined;
  let change: VersionSummary['installScriptsChange'];
  if (hasInstallScripts(facts)) {
    let i = index;
    while (i > 0 && sameScripts(history.versions[i - 1]?.installScripts, facts.installScripts)) i--;
    since = history.versions[i]?.version;
    const before = history.versions[i - 1];
    change = before === undefined ? 'first' : hasInstallScripts(before) ? 'changed' : 'added';
  }
  const earlierPublishers = history.versions.slice(0, index).map((v) => v.publisher);
  return {
    name: history.name,
    version,
    present: true,
    publishedAt: facts.publishedAt,
    latest,
    installScripts: facts.installScripts,
    installScriptsSince: since,
    installScriptsChange: change,
    publisher: facts.publisher,
    publisherPublishedBefore: facts.publisher === undefined || !history.hasPublisherData ? undefined : earlierPublishers.includes(facts.publisher),
    trustedPublisher: facts.trustedPublisher,
    // Mirrors that strip `_npmUser` strip attestations too: there, "no provenance" would be a guess.
    trust: (facts.provenance === undefined && !facts.approver) || !history.hasPublisherData ? undefined : trustLevel(facts),
    repository: facts.repository,
    deprecated: facts.deprecated,
  };
}

function sameScripts(a: InstallScripts | undefined, b: InstallScripts | undefined): boolean {
  return INSTALL_HOOKS.every((hook) => a?.[hook] === b?.[hook]);
}
