/** Reads pnpm's YAML files from the syntax tree: every scalar a string, keys never turned into object properties, aliases never expanded. */

import type { Document } from 'yaml';
import type { Parsers } from './load-parsers';

/** A span of the text: offset and length in UTF-16 code units. */
export interface Span {
  readonly offset: number;
  readonly length: number;
}

/** One `key: value` pair of a map, in document order. `value` is a yaml node, or null when the key has none. */
export interface Entry {
  readonly key: string;
  readonly keySpan: Span;
  readonly value: unknown;
}

/** The few questions the parsers ask of a yaml node, answered without building any object from the file. */
export interface YamlReader {
  /** The pairs of a map node, duplicates included; [] for anything else. */
  entriesOf(node: unknown): Entry[];
  /** The value of `key` in a map node; the last duplicate wins, as in the JavaScript object js-yaml builds. */
  valueOf(node: unknown, key: string): unknown;
  /** A scalar's text (every scalar is a string: the failsafe schema resolves no types). */
  textOf(node: unknown): string | undefined;
  stringOf(node: unknown, key: string): string | undefined;
  /** `true` written as a plain scalar, as pnpm writes its flags. */
  isTrue(node: unknown, key: string): boolean;
  /** A plain (unquoted) `true` or `false`, as js-yaml reads booleans; undefined for anything else, `"true"` included. */
  booleanOf(node: unknown): boolean | undefined;
  /** The scalar items of a sequence node. */
  stringsOf(node: unknown): string[];
  isMapNode(node: unknown): boolean;
  isSeqNode(node: unknown): boolean;
  spanOf(node: unknown): Span | undefined;
  /** True once a value that is an alias (`*name`) was met: pnpm never writes them, so they are not followed. */
  readonly sawAlias: boolean;
}

/** What parsing the whole text gave: its documents and their syntax errors. */
export interface ParsedYaml {
  readonly documents: readonly Document.Parsed[];
  readonly errors: readonly { readonly message: string; readonly code: string; readonly span: Span }[];
}

/**
 * Parses every document of a YAML stream. The failsafe schema keeps every scalar a string (no
 * number or date guessing, no tags resolved), `stringKeys` makes every key a string, and duplicate
 * keys are kept for the caller to report. Throws when flow collections nest deeper than any pnpm
 * file does, and if the parser itself fails.
 */
export function parseYaml(parsers: Parsers, text: string): ParsedYaml {
  if (exceedsFlowDepth(text, MAX_FLOW_DEPTH)) throw new Error(`flow collections ([ ] and { }) nested more than ${MAX_FLOW_DEPTH} deep`);
  const parsed = parsers.parseAllDocuments(text, { schema: 'failsafe', stringKeys: true, uniqueKeys: false, prettyErrors: false });
  const documents = Array.isArray(parsed) ? parsed : [];
  const errors = documents.flatMap((document) =>
    document.errors.map((e) => ({ message: e.message, code: e.code, span: { offset: e.pos[0], length: Math.max(0, e.pos[1] - e.pos[0]) } })),
  );
  return { documents, errors };
}

/**
 * pnpm writes flow collections two levels deep at most. The YAML composer recurses once per level,
 * and a crafted file of a million `[` takes seconds to fail, so deeper nesting is refused up front.
 */
const MAX_FLOW_DEPTH = 64;

/** Counts `[`/`{` nesting without regard to quotes: a quoted bracket can only make a hostile file fail sooner. */
function exceedsFlowDepth(text: string, limit: number): boolean {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > limit) return true;
    } else if ((c === 0x5d /* ] */ || c === 0x7d) /* } */ && depth > 0) depth--;
  }
  return false;
}

export function createYamlReader(parsers: Pick<Parsers, 'isMap' | 'isSeq' | 'isScalar' | 'isPair'>): YamlReader {
  const { isMap, isSeq, isScalar } = parsers;
  let sawAlias = false;
  const note = (node: unknown): unknown => {
    // Anything that is not a map, a sequence or a scalar is an alias node here.
    if (node !== null && node !== undefined && !isMap(node) && !isSeq(node) && !isScalar(node)) sawAlias = true;
    return node;
  };
  const spanOf = (node: unknown): Span | undefined => {
    const range = node && typeof node === 'object' && 'range' in node ? (node as { range?: unknown }).range : undefined;
    if (!Array.isArray(range) || typeof range[0] !== 'number' || typeof range[1] !== 'number') return undefined;
    return { offset: range[0], length: Math.max(0, range[1] - range[0]) };
  };
  const textOf = (node: unknown): string | undefined => (isScalar(node) && typeof node.value === 'string' ? node.value : undefined);
  const booleanOf = (node: unknown): boolean | undefined => {
    if (!isScalar(node) || node.type !== 'PLAIN' || typeof node.value !== 'string') return undefined;
    if (/^(?:true|True|TRUE)$/.test(node.value)) return true;
    return /^(?:false|False|FALSE)$/.test(node.value) ? false : undefined;
  };
  const entriesOf = (node: unknown): Entry[] => {
    if (!isMap(note(node))) return [];
    const entries: Entry[] = [];
    for (const pair of (node as { items: readonly { key: unknown; value: unknown }[] }).items) {
      const key = textOf(pair.key);
      const keySpan = spanOf(pair.key);
      if (key === undefined || keySpan === undefined) continue;
      entries.push({ key, keySpan, value: note(pair.value) ?? null });
    }
    return entries;
  };
  const valueOf = (node: unknown, key: string): unknown => {
    let found: unknown;
    for (const entry of entriesOf(node)) if (entry.key === key) found = entry.value;
    return found;
  };
  return {
    entriesOf,
    valueOf,
    textOf,
    stringOf: (node, key) => textOf(valueOf(node, key)),
    isTrue: (node, key) => booleanOf(valueOf(node, key)) === true,
    booleanOf,
    stringsOf: (node) => (isSeq(note(node)) ? (node as { items: readonly unknown[] }).items.flatMap((item) => textOf(note(item)) ?? []) : []),
    isMapNode: (node) => isMap(node),
    isSeqNode: (node) => isSeq(node),
    spanOf,
    get sawAlias() {
      return sawAlias;
    },
  };
}
