/** The facts content inspection keeps about one published tarball, and what two of them differ in: plain, JSON-serialisable data. */

import type { Finding, RuleMeta } from '../types';

/** How code reads: hand-written, minified (long lines), or obfuscated (the shapes obfuscators leave). */
export type CodeShape = 'plain' | 'minified' | 'obfuscated';

/** Measurements of one JavaScript file's text, from which its shape is judged. */
export interface ShapeFacts {
  readonly shape: CodeShape;
  readonly lines: number;
  readonly longestLine: number;
  /** 1-based line number of the longest line. */
  readonly longestLineAt: number;
  /** Shannon entropy of the characters, bits per character (hand-written JS ~4.5–5, packed payloads higher). */
  readonly entropy: number;
  /** Identifiers shaped like `_0x1a2b3c` (javascript-obfuscator's default naming). */
  readonly hexIdentifiers: number;
  /** The longest string literal made only of hex or base64 characters. */
  readonly longestEncodedString: number;
  /** A `push(shift())` loop over a string array, javascript-obfuscator's string-array rotation. */
  readonly stringArrayRotation: boolean;
  /** Why the shape was judged so, for messages ("412 _0x identifiers", "a 48,000-character line"). */
  readonly reasons: readonly string[];
  /** 1-based line where the first obfuscated shape appears (the first `_0x` identifier or the rotation). */
  readonly firstSuspiciousLine?: number;
  /** A short excerpt of that line, or of the longest line when the code is only minified. */
  readonly excerpt?: string;
}

export type CapabilityKind = 'child-process' | 'network' | 'dns' | 'eval' | 'vm' | 'function-constructor' | 'env-enumeration';

/** One use of a powerful API found by the parser. */
export interface CapabilityUse {
  readonly kind: CapabilityKind;
  /** What exactly: the module (`child_process`), `fetch`, `eval`, `Object.keys(process.env)`, or a literal host. */
  readonly detail: string;
  readonly line: number;
  /** The source around it, cut to one short line. */
  readonly excerpt: string;
}

/** What the parser found in one JavaScript file. */
export interface CodeFacts {
  readonly capabilities: readonly CapabilityUse[];
  /** Hosts of `http(s)://` / `ws(s)://` string literals, when the file also uses the network. */
  readonly hosts: readonly string[];
  /** Module specifiers the file requires or imports with a literal string. */
  readonly requires: readonly string[];
  /** Set when the file could not be parsed (or was over the parse cap): then capabilities are unknown. */
  readonly notParsed?: string;
}

export type BinaryFormat = 'elf' | 'pe' | 'mach-o' | 'node-addon';

/** One file in the package. */
export interface FileFacts {
  /** Relative to the package folder: `lib/index.js`. */
  readonly path: string;
  readonly size: number;
  /** sha256 of the content, hex. */
  readonly sha256: string;
  readonly executable: boolean;
  readonly binary?: BinaryFormat;
  /** For JavaScript files up to the analysis cap. */
  readonly shape?: ShapeFacts;
  readonly code?: CodeFacts;
  /** Why a JavaScript file was not analysed (too large). */
  readonly notAnalysed?: string;
}

/** The fields of a package.json that inspection compares; values as written, unknown shapes dropped. */
export interface ManifestFacts {
  readonly name?: string;
  readonly version?: string;
  readonly scripts: Readonly<Record<string, string>>;
  readonly dependencies: Readonly<Record<string, string>>;
  readonly optionalDependencies: Readonly<Record<string, string>>;
  /** Normalised as npm does: a string `bin` becomes `{ <name without scope>: path }`, paths lose `./`. */
  readonly bin: Readonly<Record<string, string>>;
  readonly main?: string;
  /** Entry files named by `exports` (every string value, conditions flattened). */
  readonly exports: readonly string[];
}

/** Everything kept about one tarball: cached by its integrity, so each published tarball is read once. */
export type TarballSummary =
  | {
      readonly status: 'ok';
      readonly integrity: string;
      readonly files: readonly FileFacts[];
      /** The tarball's own package.json; undefined when it has none or it is not JSON. */
      readonly manifest?: ManifestFacts;
      readonly manifestError?: string;
    }
  | {
      readonly status: 'not-inspected';
      readonly integrity: string;
      /** A tar problem (`link`, `path-traversal`, `too-large`, …) or `integrity` / `fetch`. */
      readonly problem: string;
      /** Completes "not inspected: …". */
      readonly reason: string;
    };

export type InspectedTarball = Extract<TarballSummary, { status: 'ok' }>;

/** A file present in both versions whose content changed. */
export interface ChangedFile {
  readonly path: string;
  readonly before: number;
  readonly after: number;
}

/** One install-time hook and the file it runs. */
export interface InstallTarget {
  readonly hook: 'preinstall' | 'install' | 'postinstall';
  readonly command: string;
  /** The previous version's command for the hook; undefined when it had none. */
  readonly previousCommand?: string;
  /** The package file the command runs (`setup_bun.js`), when it names one. */
  readonly file?: string;
  /** `new` (not in the previous version), `changed`, `unchanged`, `missing` (named but not in the tarball), or `none` (no file: `node-gyp rebuild`). */
  readonly fileStatus: 'new' | 'changed' | 'unchanged' | 'missing' | 'none';
}

/** What changed between two tarballs of a package. */
export interface ContentsDiff {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** Changed files that got bigger. */
  readonly grown: readonly ChangedFile[];
  /** Changed files that kept or lost size. */
  readonly changed: readonly ChangedFile[];
  readonly installTargets: readonly InstallTarget[];
  /** Files reachable from `main`, `exports`, `bin` or an install script, following literal relative requires. */
  readonly reachable: readonly string[];
  /** The files the install scripts run and what those reach: code that runs on `npm install`. */
  readonly installReachable: readonly string[];
}

/** The registry's view of a version (the packument's `versions[v]`), for comparison with the tarball. */
export interface PublishedManifest {
  readonly scripts?: Readonly<Record<string, string>>;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly optionalDependencies?: Readonly<Record<string, string>>;
  readonly bin?: Readonly<Record<string, string>>;
  readonly gypfile?: boolean;
}

/** What a content rule receives: the two tarballs of a package, what differs, and the registry's view of the newer one. */
export interface ContentsRuleInput {
  readonly name: string;
  readonly version: string;
  /** The release compared with; undefined for a first release. `sameLine`: a caret range moves from it to `version` unasked. */
  readonly previous?: { readonly version: string; readonly sameLine: boolean };
  readonly before?: InspectedTarball;
  readonly after: InspectedTarball;
  readonly diff: ContentsDiff;
  /** The packument's `versions[version]`, when it was read. */
  readonly published?: PublishedManifest;
}

export interface ContentsRule {
  readonly meta: RuleMeta;
  readonly check: (input: ContentsRuleInput) => Finding[];
}
