/** The domain types shared by every part of the engine: plain, readonly, JSON-serialisable data. */

export type Severity = 'error' | 'warning' | 'info';

/** A severity setting: a rule's severity, or `off` to silence it. */
export type SeverityLevel = Severity | 'off';

/** Which section of package.json declares a dependency. */
export type DependencyKind = 'prod' | 'dev' | 'optional' | 'peer';

/** Where a spec points: only `registry` specs are looked up in the registry. */
export type SpecSource = 'registry' | 'git' | 'file' | 'link' | 'url' | 'workspace' | 'invalid';

/** A span of text in a file: offsets are UTF-16 code units (as in VS Code), line and column are 1-based. */
export interface Location {
  readonly file: string;
  readonly offset: number;
  readonly length: number;
  readonly line: number;
  readonly column: number;
}

/** An error in one input file: the audit reports it and goes on with the rest. */
export interface FileError {
  readonly file: string;
  readonly message: string;
  readonly location?: Location;
}

/** One dependency as package.json declares it, with the exact text spans the editor needs. */
export interface DeclaredDependency {
  /** The key as written (for an alias, the alias name). */
  readonly name: string;
  /** The package looked up in the registry (differs from `name` for `npm:` aliases). */
  readonly registryName: string;
  readonly kind: DependencyKind | 'override';
  /** The value as written, e.g. `^1.2.3`, `npm:foo@^2`, `github:a/b`. */
  readonly spec: string;
  /** The semver range or version for registry specs (alias prefix removed); undefined otherwise. */
  readonly range?: string;
  readonly source: SpecSource;
  /** The span of the key string (with quotes). */
  readonly nameLocation: Location;
  /** The span of the value string (with quotes). */
  readonly specLocation: Location;
  /** For overrides: the chain of keys from `overrides` down to this one, e.g. ['foo', 'bar']. */
  readonly overridePath?: readonly string[];
}

/** package.json as the engine sees it. */
export interface Manifest {
  readonly file: string;
  readonly name?: string;
  readonly version?: string;
  readonly dependencies: readonly DeclaredDependency[];
  /** npm's `allowScripts`: keys `name`, `name@version` or `name@range`; true approves, false denies. */
  readonly allowScripts: Readonly<Record<string, boolean>>;
  /** Workspace globs from the `workspaces` field. */
  readonly workspaces: readonly string[];
  /** The `packageManager` field (`pnpm@9.1.0`), which decides the lockfile when several exist. */
  readonly packageManager?: string;
  /** The span of the `overrides` object, when present (fix planning inserts into it). */
  readonly overridesLocation?: Location;
  readonly errors: readonly FileError[];
}

/** One package version installed from a lockfile. */
export interface LockedPackage {
  readonly name: string;
  readonly version: string;
  /** The lockfile's key for this entry, e.g. `node_modules/a/node_modules/b`. */
  readonly key: string;
  readonly resolved?: string;
  readonly integrity?: string;
  /** From the lockfile (`hasInstallScript`, `requiresBuild`); undefined when the format does not say. */
  readonly hasInstallScript?: boolean;
  readonly dev: boolean;
  readonly optional: boolean;
  readonly peer: boolean;
  /** Declared directly by the root manifest or a workspace. */
  readonly direct: boolean;
  readonly source: SpecSource;
  /** Shortest chain of package names from a direct dependency down to this package (inclusive). */
  readonly via: readonly string[];
  /** The workspace path ('' for the root) whose direct dependency brings this package in. */
  readonly workspace: string;
  /** Where the entry sits in the lockfile. */
  readonly location?: Location;
  /**
   * Set (true) when the package ships inside its parent's tarball (npm `inBundle`, v1 `bundled`):
   * it has no `resolved` or `integrity` of its own, and the registry's copy may differ from it.
   */
  readonly inBundle?: boolean;
}

/** The lockfile formats the engine reads. */
export type LockfileFormat = 'npm' | 'pnpm' | 'yarn-classic' | 'yarn-berry' | 'bun';

export interface Lockfile {
  readonly file: string;
  readonly format: LockfileFormat;
  readonly lockfileVersion: number;
  readonly packages: readonly LockedPackage[];
  /** Workspace paths the lockfile links (npm `link: true` entries), root excluded. */
  readonly workspaces: readonly string[];
  readonly errors: readonly FileError[];
}

/** The install-time lifecycle scripts of a version (implicit `node-gyp rebuild` included as `install`). */
export interface InstallScripts {
  readonly preinstall?: string;
  readonly install?: string;
  readonly postinstall?: string;
}

/** Trust evidence of a publish, ranked as pnpm's `trustPolicy: no-downgrade` ranks it. */
export type TrustLevel = 'none' | 'provenance' | 'trusted-publisher' | 'staged';

/** The few facts about one published version that the rules need. Undefined means unknown. */
export interface VersionFacts {
  readonly version: string;
  /** ISO-8601 UTC; undefined when the registry gave no time for it. */
  readonly publishedAt?: string;
  /** `_npmUser.name`; undefined when the registry does not say (mirrors strip it). */
  readonly publisher?: string;
  /** `_npmUser.trustedPublisher.id`, e.g. `github`. */
  readonly trustedPublisher?: string;
  /** `_npmUser.approver.name` for staged publishes. */
  readonly approver?: string;
  readonly maintainers?: readonly string[];
  /** `dist.attestations.provenance` is present. Undefined when `dist` is missing. */
  readonly provenance?: boolean;
  /** Undefined when the registry document had no `scripts` (abbreviated) and no `hasInstallScript`. */
  readonly installScripts?: InstallScripts;
  /** The abbreviated document's flag, used when `scripts` is not available. */
  readonly hasInstallScript?: boolean;
  readonly deprecated?: string;
  readonly integrity?: string;
  readonly tarball?: string;
  readonly repository?: string;
}

/** A compact, cacheable summary of a packument: a small fraction of its size. */
export interface PackageHistory {
  readonly name: string;
  /** Present versions in publish order (oldest first; versions without a time first, by semver). */
  readonly versions: readonly VersionFacts[];
  /** Versions with a `time` entry but no longer in `versions`: removed from the registry. */
  readonly removed: readonly { readonly version: string; readonly publishedAt: string }[];
  readonly distTags: Readonly<Record<string, string>>;
  /** Set when the whole package was unpublished. */
  readonly unpublished?: { readonly at: string; readonly versions: readonly string[] };
  /** Does any version carry `_npmUser`? False for mirrors that strip it: publisher rules then stay quiet. */
  readonly hasPublisherData: boolean;
  /** Does any version carry `maintainers`? */
  readonly hasMaintainerData: boolean;
}

/** The settings every rule reads, merged from defaults, the project's config and the user's flags. */
export interface Policy {
  readonly minReleaseAgeDays: number;
  /** Package names or globs (`@myorg/*`) exempt from the age rules (npm's `min-release-age-exclude`). */
  readonly minReleaseAgeExclude: readonly string[];
  /** npm's `allowScripts` from package.json. */
  readonly allowScripts: Readonly<Record<string, boolean>>;
  /** Per-rule severity overrides. */
  readonly severities: Readonly<Partial<Record<string, SeverityLevel>>>;
  readonly include: readonly DependencyKind[];
  /** Findings the user chose to ignore: `rule:package@version`, `rule:package`, or `package@version`. */
  readonly ignore: readonly string[];
  /** Where each value came from, for messages ("7 days, from .npmrc min-release-age"). */
  readonly origins: Readonly<Record<string, string>>;
  /**
   * What the package manager itself will do with a version younger than the minimum age, when that
   * age comes from its own configuration ("pnpm will refuse to install it").
   */
  readonly ageGate?: string;
  /** pnpm's `trustPolicy: no-downgrade`: pnpm refuses a version with weaker trust evidence than an earlier one. */
  readonly trustPolicy?: 'no-downgrade';
}

export type EvidenceValue = string | number | boolean | null | readonly string[];

/** One rule's verdict on one package version. */
export interface Finding {
  readonly rule: string;
  readonly severity: Severity;
  readonly package: string;
  readonly version: string;
  readonly message: string;
  readonly evidence: Readonly<Record<string, EvidenceValue>>;
  /** Where to show it: the dependency's spec in package.json, or the lockfile entry. */
  readonly location?: Location;
  /** For transitive packages: the chain from the direct dependency, inclusive. */
  readonly via?: readonly string[];
  /** The package's entry in the lockfile, when it has one (the editor points there too). */
  readonly lockfileLocation?: Location;
  /** The workspace (`packages/a`) whose dependency brings the package in; absent for the root. */
  readonly workspace?: string;
}

/** The metadata every rule exports. */
export interface RuleMeta {
  readonly id: string;
  readonly defaultSeverity: Severity;
  readonly description: string;
}

/** What a version-history rule receives. */
export interface VersionRuleInput {
  readonly history: PackageHistory;
  readonly version: string;
  /** The declared range, for direct dependencies (fresh-range reads it). */
  readonly range?: string;
  readonly policy: Policy;
  readonly now: Date;
}

export interface Rule {
  readonly meta: RuleMeta;
  readonly check: (input: VersionRuleInput) => Finding[];
}

/** A text edit as data: replace `length` code units at `offset` with `text`. */
export interface TextEdit {
  readonly offset: number;
  readonly length: number;
  readonly text: string;
}

/** A problem that kept part of the project from being checked: a bad file or a failed lookup. */
export interface AuditError {
  /** The file at fault, for parse errors. */
  readonly file?: string;
  /** `name` or `name@version`, for registry failures. */
  readonly package?: string;
  /** `not-found`, `unauthorized`, `timeout`, `offline`, `error`, or `parse` for files. */
  readonly kind: string;
  readonly message: string;
  readonly location?: Location;
}

/** One registry package version found in the manifest or lockfile, and whether it was checked. */
export interface PackageCoverage {
  readonly name: string;
  readonly version: string;
  readonly direct: boolean;
  readonly dev: boolean;
  readonly optional: boolean;
  readonly source: SpecSource;
  readonly checked: boolean;
  /** Why it was not checked, or that cached facts were used while offline. */
  readonly reason?: string;
}

/** A proposed fix: the version to pin to and the package.json edit that does it. */
export interface FixPlan {
  readonly package: string;
  /** The version the fix replaces. */
  readonly from: string;
  readonly to: string;
  readonly toPublishedAt?: string;
  /** `pin` rewrites the direct dependency's range; `override` adds an `overrides` entry. */
  readonly kind: 'pin' | 'override';
  readonly file: string;
  readonly edits: readonly TextEdit[];
  /** The findings this fix addresses, as `rule` ids. */
  readonly addresses: readonly string[];
}

/** What `audit` produces: the CLI's JSON output (schemaVersion 1) and the editor's input. */
export interface AuditReport {
  readonly schemaVersion: 1;
  /** The project's root folder (where its lockfile is); locations are relative to it. */
  readonly root: string;
  /** The lockfile read, its package manager and why it was chosen; absent without a lockfile. */
  readonly lockfile?: { readonly file: string; readonly manager: string; readonly format: string; readonly reason: string };
  /** The moment the audit evaluated ages against (ISO). */
  readonly now: string;
  readonly policy: Policy;
  readonly findings: readonly Finding[];
  readonly packages: readonly PackageCoverage[];
  readonly errors: readonly AuditError[];
  readonly fixes: readonly FixPlan[];
}
