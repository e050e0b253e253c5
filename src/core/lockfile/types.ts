/** What every lockfile parser takes besides the text: the manifests of the importers (root and workspaces). */

/** One folder's package.json, as the parsers need it: `path` is '' for the root, else the workspace path (`packages/a`). */
export interface ImporterManifest {
  readonly path: string;
  readonly name?: string;
  readonly version?: string;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly devDependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
}

/** A value read from a configuration file, with where it came from (`pnpm-workspace.yaml minimumReleaseAge`). */
export interface Sourced<T> {
  readonly value: T;
  readonly origin: string;
}

/**
 * The release-age and install-script policy a package manager's own configuration sets, normalised:
 * ages in days, exclusions as names or globs, approvals as npm `allowScripts` keys (`name`,
 * `name@version`, `name@range`) mapped to true (may run) or false (never runs).
 */
export interface ManagerPolicy {
  readonly manager: 'npm' | 'pnpm' | 'yarn' | 'bun';
  readonly minReleaseAgeDays?: Sourced<number>;
  readonly minReleaseAgeExclude?: Sourced<readonly string[]>;
  readonly scriptApprovals?: Sourced<Readonly<Record<string, boolean>>>;
  /** True when the manager runs no dependency install scripts unless approved (pnpm 10+, Bun, Yarn `enableScripts: false`). */
  readonly scriptsBlockedByDefault?: Sourced<boolean>;
  /** pnpm `trustPolicy: no-downgrade`. */
  readonly trustPolicy?: Sourced<'no-downgrade'>;
  readonly errors: readonly import('../types').FileError[];
}
