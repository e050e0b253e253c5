/** The intermediate shape both npm lockfile layouts are read into, and the quoting their messages share. */

import type { Node } from 'jsonc-parser';

/** One entry of a lockfile, keyed by its install path (v1's nested tree is flattened to the same paths). */
export interface RawEntry {
  /** `node_modules/a/node_modules/b`, a folder such as `packages/a`, or '' for the root. */
  readonly key: string;
  readonly keyNode: Node;
  /** `package` sits in a node_modules folder; `folder` is a workspace or a linked folder; `root` is ''. */
  readonly kind: 'package' | 'folder' | 'root';
  /** The entry's own `name`: the real name of an `npm:` alias, or a folder's package name. */
  readonly name?: string;
  readonly version?: string;
  readonly resolved?: string;
  readonly integrity?: string;
  readonly link: boolean;
  readonly dev: boolean;
  readonly optional: boolean;
  readonly devOptional: boolean;
  readonly peer: boolean;
  readonly inBundle: boolean;
  /** Undefined in v1, which does not record install scripts. */
  readonly hasInstallScript?: boolean;
  /** Names from `dependencies`, `optionalDependencies` and `peerDependencies` (v1: `requires`). */
  readonly dependencies: readonly string[];
  /** Names from `devDependencies`: followed only for the root, workspaces and linked folders. */
  readonly devDependencies: readonly string[];
  /** The root's `workspaces` patterns. */
  readonly workspaces?: readonly string[];
}

/** Caps the errors one file can produce, so a hostile lockfile cannot flood the problems view. */
export type { Reporter } from './reporter';

/**
 * Characters that could hide or reorder text in a message (controls, bidi overrides, zero-width),
 * and lone surrogates, which would make the message ill-formed text (issue 7).
 */
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** A key or value from the file, quoted, shortened and with invisible characters escaped, for messages. */
export function quote(value: string): string {
  // Cut before a lone high surrogate, so the message stays well-formed text.
  const cut = /[\ud800-\udbff]/.test(value.charAt(59)) ? 59 : 60;
  const short = value.length > 80 ? `${value.slice(0, cut)}…(${value.length} characters)` : value;
  const escaped = short.replace(INVISIBLE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return `"${escaped.replace(/"/g, '\\"')}"`;
}
