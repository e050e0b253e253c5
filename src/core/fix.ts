/** Plans fixes: the safe version to pin to, and the package.json text edits that pin it (no editor types). */

import { createScanner, modify, parseTree, type FormattingOptions, type ParseError } from 'jsonc-parser';
import semver from 'semver';
import { maskBom } from './text';
import type { DeclaredDependency, Finding, PackageHistory, Policy, Rule, TextEdit, VersionFacts } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;

/** Rules whose verdict on a candidate is about its age: the planner checks age itself. */
const AGE_RULES = new Set(['fresh-release', 'fresh-range']);

export interface PinChoice {
  readonly version: string;
  readonly publishedAt: string;
  /** Whether the declared range already admits it (then the pin does not change what may be installed). */
  readonly inRange: boolean;
}

/**
 * The version to pin to instead of `current`: the newest version published longer ago than the
 * policy's age, not deprecated, not removed, and not flagged at error level or for an unapproved
 * install script by any rule. Prefers versions the declared `range` admits, then ones of the same
 * major. Returns undefined when no version qualifies (the finding then has no quick fix).
 */
export function pickPinVersion(input: {
  readonly history: PackageHistory;
  readonly current: string;
  readonly range?: string;
  readonly policy: Policy;
  readonly now: Date;
  readonly rules: readonly Rule[];
  /** Whether `current` itself may be chosen (true when only its range, not the version, is at fault). */
  readonly allowCurrent?: boolean;
}): PinChoice | undefined {
  const { history, current, range, policy, now, rules } = input;
  const currentPre = semver.prerelease(current) !== null;
  const major = semver.valid(current) ? semver.major(current) : undefined;
  const cutoff = now.getTime() - policy.minReleaseAgeDays * DAY_MS;
  const candidates = history.versions
    .filter((v): v is VersionFacts & { publishedAt: string } => v.publishedAt !== undefined && Date.parse(v.publishedAt) <= cutoff)
    .filter((v) => (input.allowCurrent === true || v.version !== current) && semver.valid(v.version) !== null && (currentPre || semver.prerelease(v.version) === null))
    .filter((v) => !v.deprecated)
    .sort((a, b) => semver.rcompare(a.version, b.version));
  const isSafe = (v: VersionFacts) =>
    rules
      .filter((rule) => !AGE_RULES.has(rule.meta.id))
      .flatMap((rule) => rule.check({ history, version: v.version, policy, now }))
      .every((f) => !blocksPin(f, policy));
  const validRange = range && semver.validRange(range) ? range : undefined;
  const tiers = [
    (v: VersionFacts) => validRange !== undefined && semver.satisfies(v.version, validRange, { includePrerelease: currentPre }),
    (v: VersionFacts) => major !== undefined && semver.major(v.version) === major,
  ];
  for (const tier of tiers) {
    const found = candidates.find((v) => tier(v) && isSafe(v));
    if (found) {
      return { version: found.version, publishedAt: found.publishedAt, inRange: validRange !== undefined && semver.satisfies(found.version, validRange) };
    }
  }
  return undefined;
}

function blocksPin(finding: Finding, policy: Policy): boolean {
  const severity = policy.severities[finding.rule] ?? finding.severity;
  if (severity === 'off') return false;
  if (severity === 'error') return true;
  // A new or changed install script is a reason to avoid a version unless the project approved it.
  return (finding.rule === 'install-script-added' || finding.rule === 'install-script-changed') && severity !== 'info';
}

const FORMAT: FormattingOptions = { insertSpaces: true, tabSize: 2, eol: '\n' };

/** Detects the indentation and line ending package.json uses, so inserted text matches it. */
export function detectFormatting(text: string): FormattingOptions {
  const indent = /^([ \t]+)"/m.exec(text)?.[1] ?? '  ';
  return { insertSpaces: !indent.startsWith('\t'), tabSize: indent.startsWith('\t') ? 1 : indent.length, eol: text.includes('\r\n') ? '\r\n' : '\n' };
}

/** The edit that rewrites a direct dependency's spec to exactly `version` (keeping an `npm:` alias). */
export function pinEdit(dependency: DeclaredDependency, version: string): TextEdit {
  const spec = dependency.registryName !== dependency.name ? `npm:${dependency.registryName}@${version}` : version;
  return { offset: dependency.specLocation.offset, length: dependency.specLocation.length, text: JSON.stringify(spec) };
}

/**
 * The edits that add or update `overrides[name]` so a transitive package resolves to `version`;
 * undefined when package.json cannot be edited safely (see `setJsonValue`).
 */
export function overrideEdits(manifestText: string, name: string, version: string): TextEdit[] | undefined {
  return setJsonValue(manifestText, ['overrides', name], version);
}

/** Where and how a package manager pins a transitive package: the file, and the edits for one pin. */
export interface OverrideMechanism {
  /** The file the edits apply to, relative to the project root. */
  readonly file: string;
  /** `overrides`, `resolutions`, `pnpm.overrides` or `pnpm-workspace.yaml overrides`. */
  readonly setting: string;
  readonly edits: (name: string, version: string) => TextEdit[] | undefined;
}

/** The YAML library's document API, as much of it as a pnpm-workspace.yaml edit needs. */
export interface YamlDocuments {
  parseDocument(text: string): { errors: readonly unknown[]; setIn(path: readonly string[], value: unknown): void; toString(): string };
}

/**
 * Each manager's own way to pin a transitive package: npm and Bun `overrides`, Yarn `resolutions`
 * in the root package.json; pnpm `overrides` in pnpm-workspace.yaml when the project has one (where
 * pnpm 10+ keeps its settings; pnpm 11 reads nothing else), else `pnpm.overrides` in package.json.
 */
export function overrideMechanism(
  manager: 'npm' | 'pnpm' | 'yarn' | 'bun',
  rootManifestText: string,
  pnpmWorkspace?: { readonly text: string; readonly yaml: YamlDocuments },
): OverrideMechanism {
  switch (manager) {
    case 'yarn':
      return { file: 'package.json', setting: 'resolutions', edits: (name, version) => setJsonValue(rootManifestText, ['resolutions', name], version) };
    case 'pnpm':
      if (pnpmWorkspace) {
        return { file: 'pnpm-workspace.yaml', setting: 'pnpm-workspace.yaml overrides', edits: (name, version) => yamlEdits(pnpmWorkspace, name, version) };
      }
      return { file: 'package.json', setting: 'pnpm.overrides', edits: (name, version) => setJsonValue(rootManifestText, ['pnpm', 'overrides', name], version) };
    case 'npm':
    case 'bun':
      return { file: 'package.json', setting: 'overrides', edits: (name, version) => overrideEdits(rootManifestText, name, version) };
  }
}

/** One edit that replaces pnpm-workspace.yaml with the same document plus `overrides.<name>`; none for a file with YAML errors. */
function yamlEdits(workspace: { readonly text: string; readonly yaml: YamlDocuments }, name: string, version: string): TextEdit[] | undefined {
  const document = workspace.yaml.parseDocument(workspace.text);
  if (document.errors.length > 0) return undefined;
  document.setIn(['overrides', name], version);
  return [{ offset: 0, length: workspace.text.length, text: document.toString() }];
}

/**
 * Indentation (columns) no edit may reach: jsonc-parser's formatter reads past its 200-entry
 * indentation cache there and throws, and deeper text makes it quadratic (issue 7). No real
 * package.json comes close.
 */
const MAX_EDIT_INDENT = 160;

/**
 * The edits that set `path` in a package.json text to `value`, formatted like the file (an empty
 * text becomes an object). Undefined when the text cannot be edited safely: it has syntax errors
 * (the user is typing, or it is not JSON), its root is not an object, something on the path is not
 * an object (`"overrides": 5`), or it is nested so deeply that formatting would fail or crawl.
 */
export function setJsonValue(text: string, path: readonly string[], value: unknown): TextEdit[] | undefined {
  const formatting = text ? detectFormatting(text) : FORMAT;
  const indent = formatting.insertSpaces === false ? 1 : Math.max(1, formatting.tabSize ?? 1);
  if (text !== '' && nestingDepth(text) * indent >= MAX_EDIT_INDENT) return undefined;
  if (text.trim() !== '') {
    const errors: ParseError[] = [];
    const root = parseTree(maskBom(text), errors, { allowTrailingComma: true, disallowComments: false });
    if (errors.length > 0 || root?.type !== 'object') return undefined;
  }
  let edits: ReturnType<typeof modify>;
  try {
    edits = modify(text, [...path], value, { formattingOptions: formatting });
  } catch {
    // modify throws when a value on the path is not an object (`"overrides": 5`); there is no edit
    // that keeps the user's value, so none is offered.
    return undefined;
  }
  return edits.map((e) => ({ offset: e.offset, length: e.length, text: e.content }));
}

// jsonc-parser's SyntaxKind values (a const enum, which isolatedModules cannot read).
const OPEN_BRACE = 1;
const CLOSE_BRACE = 2;
const OPEN_BRACKET = 3;
const CLOSE_BRACKET = 4;
const EOF = 17;

/** The deepest nesting of objects and arrays, found with jsonc-parser's scanner (no recursion). */
function nestingDepth(text: string): number {
  const scanner = createScanner(text, true);
  let depth = 0;
  let deepest = 0;
  for (let token: number = scanner.scan(); token !== EOF; token = scanner.scan()) {
    if (token === OPEN_BRACE || token === OPEN_BRACKET) deepest = Math.max(deepest, ++depth);
    else if (token === CLOSE_BRACE || token === CLOSE_BRACKET) depth = Math.max(0, depth - 1);
  }
  return deepest;
}

/** Applies edits to a text (highest offset first), as an editor would. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  return [...edits]
    .sort((a, b) => b.offset - a.offset)
    .reduce((acc, e) => acc.slice(0, e.offset) + e.text + acc.slice(e.offset + e.length), text);
}
