/** The shapes of a dependency review (`diff`): two revisions of a repository, what changed between them, and the report. */

import type { AuditError, DependencyKind, Finding, Policy, SpecSource, Location } from '../types';

/** How far a version moved, as semver.diff names it. */
export type SemverLevel = 'major' | 'premajor' | 'minor' | 'preminor' | 'patch' | 'prepatch' | 'prerelease';

/**
 * What happened to one package in one lockfile:
 * - `added`: a package the tree did not have; `added-alongside`: a second copy (another version) of a package it keeps;
 * - `removed`: a version no longer in the tree; `upgraded` / `downgraded`: one version replaced by another;
 * - `changed`: replaced, but the versions cannot be ordered (git commits, tags);
 * - `source-changed` / `integrity-changed`: the same version, from another place or with other bytes.
 */
export type ChangeKind =
  | 'added'
  | 'added-alongside'
  | 'removed'
  | 'upgraded'
  | 'downgraded'
  | 'changed'
  | 'source-changed'
  | 'integrity-changed';

/** Where a locked version comes from and which bytes it is, on one side of the change. */
export interface EntrySource {
  readonly resolved?: string;
  readonly integrity?: string;
  /** Yarn Berry's `checksum`: a hash of Yarn's own archive, comparable between revisions only. */
  readonly checksum?: string;
  readonly source: SpecSource;
}

/** One package change in one lockfile (or, for a project without a lockfile, in one package.json). */
export interface PackageChange {
  readonly kind: ChangeKind;
  /** The lockfile (or package.json) the change is in, relative to the repository root. */
  readonly file: string;
  readonly name: string;
  /** The version it replaces (absent for an addition). */
  readonly from?: string;
  /** The new version (absent for a removal). */
  readonly to?: string;
  readonly level?: SemverLevel;
  readonly direct: boolean;
  readonly scope: DependencyKind;
  /** The shortest chain from a direct dependency down to the package (absent for a direct one). */
  readonly via?: readonly string[];
  /** The workspace (`packages/web`) whose dependency brings it in; absent for the root. */
  readonly workspace?: string;
  readonly source: SpecSource;
  /** The entry on each side, for source and integrity changes. */
  readonly before?: EntrySource;
  readonly after?: EntrySource;
  /** The other versions of the package still in the tree, for `added-alongside` and `removed`. */
  readonly others?: readonly string[];
  /** The new entry in the head lockfile (the old one, for a removal, is not located). */
  readonly location?: Location;
  /** For people: the change compared with what it replaces ("1.2.5 adds `postinstall: …` that 1.2.3 did not have; …"). */
  readonly message: string;
}

/** What a revision's project configuration says, as far as the review compares it. */
export interface ProjectConfig {
  /** The lockfile read (relative to the project root) and its manager. */
  readonly lockfile?: string;
  readonly manager?: string;
  /** package.json `packageManager`. */
  readonly packageManager?: string;
  /** The minimum release age the project sets (undefined: none, the default applies), with its origin. */
  readonly minReleaseAge?: { readonly days: number; readonly origin: string };
  readonly minReleaseAgeExclude: readonly string[];
  readonly minReleaseAgeExcludeOrigin?: string;
  /** Install-script approvals, as npm `allowScripts` keys. */
  readonly allowScripts: Readonly<Record<string, boolean>>;
  readonly allowScriptsOrigin?: string;
  readonly trustPolicy?: string;
  /** The default registry and scoped registries (credentials removed). */
  readonly registry: string;
  readonly scopes: Readonly<Record<string, string>>;
  /** The project file that sets the registry for its manager (`.npmrc`, `.yarnrc.yml`, `bunfig.toml`), relative to the repository root. */
  readonly registryFile: string;
  /** Committed code the package manager runs (`.yarn/releases/*`, `.yarn/plugins/*`, `.pnpmfile.cjs`): path -> content id. */
  readonly managerCode: Readonly<Record<string, string>>;
  /** Package-manager settings that pin or patch packages (`overrides`, `resolutions`, patch files): name -> content id. */
  readonly pins: Readonly<Record<string, string>>;
}

/** A change to configuration that decides what gets installed or how it is judged. */
export interface ConfigChange {
  /** The file, relative to the repository root. */
  readonly file: string;
  /** The setting (`min-release-age`, `packageManager`, `registry`, …) or the file's role. */
  readonly setting: string;
  readonly before?: string;
  readonly after?: string;
  /** Does the change relax the review (a `policy-weakened` finding says how)? */
  readonly weakens: boolean;
  readonly message: string;
}

/** An entry of `.dependency-risk.json` `accept`. */
export interface Acceptance {
  /** `name` or `name@version`. */
  readonly package: string;
  readonly rule: string;
  readonly reason: string;
  /** ISO date; the acceptance stops applying then. */
  readonly expires?: string;
  /** The file it is in, relative to the repository root. */
  readonly file: string;
}

/** How an acceptance figured in the review. */
export interface AcceptanceUse extends Acceptance {
  /**
   * `applied`: it silenced the findings listed; `expired`: it no longer applies; `added`: the change
   * itself adds it, so it does not apply to this review (a change cannot accept its own findings).
   */
  readonly status: 'applied' | 'expired' | 'added';
  readonly findings: readonly Finding[];
}

/** One side of the comparison. */
export interface RevisionInfo {
  /** What was asked for: a ref, `index` or `working tree`. */
  readonly ref: string;
  /** The commit, for a revision that is one. */
  readonly commit?: string;
  readonly kind: 'commit' | 'index' | 'worktree';
  /** Set when `commit` is the merge base of `ref` and this revision (what a pull request is compared with). */
  readonly mergeBaseWith?: string;
}

/** One lockfile the review read, and what happened to it. */
export interface LockfileStatus {
  readonly file: string;
  readonly manager?: string;
  readonly format?: string;
  /** `unreadable`: it could not be read (a binary bun.lockb, a parse failure): the result is incomplete. */
  readonly status: 'added' | 'removed' | 'changed' | 'unchanged' | 'unreadable';
  readonly reason?: string;
}

/** A package version the review could not check, and why. */
export interface NotChecked {
  readonly name: string;
  readonly version: string;
  readonly reason: string;
}

/** What `diff` produces: the CLI's JSON output (schemaVersion 1). */
export interface DiffReport {
  readonly schemaVersion: 1;
  /** The repository's root folder; every file is relative to it. */
  readonly root: string;
  readonly base: RevisionInfo;
  readonly head: RevisionInfo;
  readonly now: string;
  /** The dependency files that differ between the revisions. */
  readonly changedFiles: readonly string[];
  readonly lockfiles: readonly LockfileStatus[];
  readonly changes: readonly PackageChange[];
  readonly findings: readonly Finding[];
  readonly configChanges: readonly ConfigChange[];
  readonly accepted: readonly AcceptanceUse[];
  readonly notChecked: readonly NotChecked[];
  readonly errors: readonly AuditError[];
  /** True when a lockfile could not be read or the registry did not answer for a new package: the result is not clean. */
  readonly incomplete: boolean;
  /** The policy the change was judged by: the base revision's (of the first project reviewed). */
  readonly policy: Policy;
}
