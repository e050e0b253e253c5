/** The inputs of the lockfile and review rules: one lockfile entry, one package change, or a project's configuration at two revisions. */

import type { Finding, LockedPackage, LockfileFormat, PackageHistory, Policy, RuleMeta } from '../../types';
import type { PackageChange, ProjectConfig } from '../types';

/** One lockfile entry (a new one, in a review; every one, for `integrity-mismatch` in an audit). */
export interface EntryRuleInput {
  readonly entry: LockedPackage;
  readonly format: LockfileFormat;
  /** What the registry says about the package; undefined when it did not answer. */
  readonly history?: PackageHistory;
  /** The registry the package is fetched from (the base revision's configuration); undefined when not known. */
  readonly registry?: string;
  readonly policy: Policy;
  readonly now: Date;
}

/** One package change of a review, with the lockfile entries on each side. */
export interface ChangeRuleInput {
  readonly change: PackageChange;
  /** The base entries of the version replaced (or of the same version, for a source or integrity change). */
  readonly before: readonly LockedPackage[];
  /** The head entries of the new version. */
  readonly after: readonly LockedPackage[];
  readonly format?: LockfileFormat;
  /**
   * Every range a manifest or a lockfile entry writes for this package, in the head revision;
   * undefined when the format does not say (pnpm's transitive entries).
   */
  readonly ranges?: readonly string[];
  readonly policy: Policy;
  readonly now: Date;
}

/** A project's configuration at both revisions, and the package changes reviewed with it. */
export interface ConfigRuleInput {
  /** The base revision's configuration; undefined when the project is new. */
  readonly before?: ProjectConfig;
  readonly after: ProjectConfig;
  /** The project's folder, relative to the repository root ('' for the root). */
  readonly dir: string;
  readonly changes: readonly PackageChange[];
  readonly policy: Policy;
  readonly now: Date;
}

export interface EntryRule {
  readonly meta: RuleMeta;
  readonly kind: 'entry';
  readonly check: (input: EntryRuleInput) => Finding[];
}

export interface ChangeRule {
  readonly meta: RuleMeta;
  readonly kind: 'change';
  readonly check: (input: ChangeRuleInput) => Finding[];
}

export interface ConfigRule {
  readonly meta: RuleMeta;
  readonly kind: 'config';
  readonly check: (input: ConfigRuleInput) => Finding[];
}

/** A rule of the review: about one entry, one change, or the configuration. */
export type ReviewRule = EntryRule | ChangeRule | ConfigRule;
