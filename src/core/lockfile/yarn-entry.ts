/** The shape both yarn.lock formats are read into before the dependency graph is walked. */

import type { LockedPackage, SpecSource } from '../types';
import type { Span } from './yarn-blocks';

/** A dependency edge as the lockfile writes it: the descriptor that the target entry's key lists. */
export interface Edge {
  /** `ms@^2.1.3` (classic) or `ms@npm:^2.1.3` (Berry, normalised). */
  readonly descriptor: string;
  readonly optional: boolean;
  /** Only for importers' edges: declared in devDependencies alone. */
  readonly dev?: boolean;
}

/** One entry of a yarn.lock. */
export interface YarnEntry {
  /** The entry's descriptors joined with `, `, as Yarn's own parser keys it. */
  readonly key: string;
  readonly descriptors: readonly string[];
  readonly span: Span;
  /** The registry name (an `npm:` alias's target; a patched package's own name). */
  readonly name: string;
  readonly version: string;
  readonly source: SpecSource;
  /** Classic: the tarball URL without its `#sha1` fragment. Berry: the resolution, for non-registry packages. */
  readonly resolved?: string;
  /** Classic `integrity` (or the sha1 of `resolved` when an old lockfile has no integrity). */
  readonly integrity?: string;
  /** Berry `checksum`: the hash of Yarn's own cache archive, not the registry tarball's integrity. */
  readonly checksum?: string;
  /** Berry `patch:` packages: the patch applied. */
  readonly patch?: string;
  /** Berry workspace entries: the workspace path ('' for the root). Such entries are importers, not packages. */
  readonly workspace?: string;
  /** Berry `resolution`: descriptors with relative paths are bound to the locator of the package that declares them. */
  readonly locator?: string;
  readonly edges: readonly Edge[];
}

/**
 * A LockedPackage with what only Yarn records. Patched packages keep the registry name and version
 * they are built from (source `registry`): `patch` says that the installed code differs from it.
 */
export interface YarnLockedPackage extends LockedPackage {
  readonly patch?: string;
  readonly checksum?: string;
}
