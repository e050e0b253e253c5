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
