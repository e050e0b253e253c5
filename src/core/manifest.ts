/** Parses package.json into DeclaredDependency[] with the exact text spans of every name and version string. */

import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { DeclaredDependency, DependencyKind, FileError, Manifest } from './types';
import { classifySpec } from './spec';
import { createLineIndex, locate, maskBom, type LineIndex } from './text';

const SECTIONS: readonly (readonly [string, DependencyKind])[] = [
  ['dependencies', 'prod'],
  ['devDependencies', 'dev'],
  ['optionalDependencies', 'optional'],
  ['peerDependencies', 'peer'],
];

/**
 * Parses package.json text. Comments, trailing commas and a BOM are tolerated (the editor shows
 * files mid-edit); every problem becomes a FileError naming the file, and whatever could be read
 * is still returned. For duplicate keys the last one wins, as with JSON.parse in npm.
 */
export function parseManifest(file: string, text: string): Manifest {
  const index = createLineIndex(file, text);
  const errors: FileError[] = [];
  const parseErrors: ParseError[] = [];
  let root: Node | undefined;
  try {
    root = parseTree(maskBom(text), parseErrors, { allowTrailingComma: true, disallowComments: false });
  } catch (error) {
    // jsonc-parser recurses once per nesting level, so absurdly deep nesting overflows the stack (issue 7).
    const reason = error instanceof Error ? error.message : String(error);
    errors.push({ file, message: `${file} is nested too deeply to read (${reason}); none of its dependencies were read.` });
    return { file, dependencies: [], allowScripts: {}, workspaces: [], errors };
  }
  for (const e of parseErrors.slice(0, 20)) {
    errors.push({
      file,
      message: `${file} is not valid JSON: ${describeParseError(printParseErrorCode(e.error))} at line ${locate(index, e.offset, 0).line}.`,
      location: locate(index, e.offset, e.length),
    });
  }
  if (!root || root.type !== 'object') {
    if (root) errors.push({ file, message: `${file} must contain a JSON object; found ${root.type}.` });
    return { file, dependencies: [], allowScripts: {}, workspaces: [], errors };
  }
  const fields = objectEntries(root, index, errors);
  const dependencies: DeclaredDependency[] = [];
  for (const [section, kind] of SECTIONS) {
    const node = fields.get(section);
    if (!node) continue;
    if (node.value.type !== 'object') {
      errors.push(notAnObject(file, section, node.value, index));
      continue;
    }
    for (const [name, entry] of objectEntries(node.value, index, errors)) {
      if (entry.value.type !== 'string') {
        errors.push({
          file,
          message: `${file}: the version of "${name}" in ${section} must be a string; found ${entry.value.type}.`,
          location: locate(index, entry.value.offset, entry.value.length),
        });
        continue;
      }
      dependencies.push(declare(name, String(entry.value.value), kind, entry, index));
    }
  }
  const overrides = fields.get('overrides');
  if (overrides) {
    if (overrides.value.type === 'object') collectOverrides(overrides.value, [], dependencies, index, errors);
    else errors.push(notAnObject(file, 'overrides', overrides.value, index));
  }
  return {
    file,
    name: stringValue(fields.get('name')?.value),
    version: stringValue(fields.get('version')?.value),
    dependencies,
    allowScripts: readAllowScripts(fields.get('allowScripts')?.value, index, errors),
    workspaces: readWorkspaces(fields.get('workspaces')?.value),
    packageManager: stringValue(fields.get('packageManager')?.value),
    overridesLocation: overrides ? locate(index, overrides.value.offset, overrides.value.length) : undefined,
    errors: capErrors(file, errors),
  };
}

/** Caps the errors one file can produce, as the lockfile parsers do, so a hostile file cannot flood the problems view (issue 7). */
const MAX_ERRORS = 50;

function capErrors(file: string, errors: FileError[]): FileError[] {
  if (errors.length <= MAX_ERRORS) return errors;
  return [...errors.slice(0, MAX_ERRORS), { file, message: `${file} has ${errors.length - MAX_ERRORS} more problems like the ones above; they were not listed.` }];
}

interface Entry {
  readonly key: Node;
  readonly value: Node;
}

/** The properties of an object node by key; for duplicate keys the last wins and an error is noted. */
function objectEntries(node: Node, index: LineIndex, errors: FileError[]): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  for (const property of node.children ?? []) {
    const [key, value] = property.children ?? [];
    if (!key || !value || typeof key.value !== 'string') continue;
    if (entries.has(key.value)) {
      errors.push({
        file: index.file,
        message: `${index.file}: "${key.value}" appears twice; npm uses the last one.`,
        location: locate(index, key.offset, key.length),
      });
    }
    entries.set(key.value, { key, value });
  }
  return entries;
}

function declare(
  name: string,
  spec: string,
  kind: DependencyKind | 'override',
  entry: Entry,
  index: LineIndex,
  overridePath?: readonly string[],
): DeclaredDependency {
  const classified = classifySpec(name, spec);
  return {
    name,
    registryName: classified.registryName,
    kind,
    spec,
    range: classified.range,
    source: classified.source,
    nameLocation: locate(index, entry.key.offset, entry.key.length),
    specLocation: locate(index, entry.value.offset, entry.value.length),
    ...(overridePath ? { overridePath } : {}),
  };
}

/**
 * Walks npm's `overrides`: `"foo": "1.2.3"`, `"foo": { ".": "1.2.3", "bar": "2.0.0" }`, and keys
 * with a selector (`"foo@^1"`). Only leaf strings pin versions; `$name` references are left out
 * because they repeat a direct dependency's spec, which is already checked.
 */
function collectOverrides(
  node: Node,
  path: readonly string[],
  out: DeclaredDependency[],
  index: LineIndex,
  errors: FileError[],
): void {
  for (const [key, entry] of objectEntries(node, index, errors)) {
    const target = key === '.' ? path[path.length - 1] : packageNameOfSelector(key);
    if (!target) continue;
    const nextPath = key === '.' ? path : [...path, target];
    if (entry.value.type === 'object') collectOverrides(entry.value, nextPath, out, index, errors);
    else if (entry.value.type === 'string') {
      const spec = String(entry.value.value);
      if (spec.startsWith('$')) continue;
      out.push(declare(target, spec, 'override', entry, index, nextPath));
    }
  }
}

/** `foo@^1` -> `foo`, `@s/foo@1` -> `@s/foo`, `foo` -> `foo`. */
function packageNameOfSelector(key: string): string {
  const at = key.indexOf('@', 1);
  return at === -1 ? key : key.slice(0, at);
}

function readAllowScripts(node: Node | undefined, index: LineIndex, errors: FileError[]): Record<string, boolean> {
  const allow: Record<string, boolean> = Object.create(null) as Record<string, boolean>;
  if (!node) return allow;
  if (node.type !== 'object') {
    errors.push(notAnObject(index.file, 'allowScripts', node, index));
    return allow;
  }
  for (const [key, entry] of objectEntries(node, index, errors)) {
    if (typeof entry.value.value === 'boolean') allow[key] = entry.value.value;
    else {
      errors.push({
        file: index.file,
        message: `${index.file}: allowScripts["${key}"] must be true or false; npm ignores other values.`,
        location: locate(index, entry.value.offset, entry.value.length),
      });
    }
  }
  return allow;
}

function readWorkspaces(node: Node | undefined): string[] {
  const list = node?.type === 'object' ? node.children?.find((p) => p.children?.[0]?.value === 'packages')?.children?.[1] : node;
  if (list?.type !== 'array') return [];
  return (list.children ?? []).filter((c) => c.type === 'string').map((c) => String(c.value));
}

function stringValue(node: Node | undefined): string | undefined {
  return node?.type === 'string' ? String(node.value) : undefined;
}

function notAnObject(file: string, field: string, node: Node, index: LineIndex): FileError {
  return { file, message: `${file}: "${field}" must be an object; found ${node.type}.`, location: locate(index, node.offset, node.length) };
}

function describeParseError(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
