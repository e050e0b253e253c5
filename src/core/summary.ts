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
  if (hasInstallScripts(facts)) {
    since = facts.version;
    for (let i = index - 1; i >= 0; i--) {
      const earlier = history.versions[i];
      if (!earlier || !sameScripts(earlier.installScripts, facts.installScripts)) break;
      since = earlier.version;
    }
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
    publisher: facts.publisher,
    publisherPublishedBefore: facts.publisher === undefined || !history.hasPublisherData ? undefined : earlierPublishers.includes(facts.publisher),
    trustedPublisher: facts.trustedPublisher,
    trust: facts.provenance === undefined && !facts.approver ? undefined : trustLevel(facts),
    repository: facts.repository,
    deprecated: facts.deprecated,
  };
}

function sameScripts(a: InstallScripts | undefined, b: InstallScripts | undefined): boolean {
  return INSTALL_HOOKS.every((hook) => a?.[hook] === b?.[hook]);
}
