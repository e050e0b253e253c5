/** Property-test kit for hostile input (issue 7): fast-check settings, hostile strings, text and JSON mutators, and the invariants every parser keeps. */

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import fc from 'fast-check';

export { fc };

const FIXTURES = join(__dirname, '..', 'fixtures');

/**
 * Runs a property with a fixed run count (scaled by `FC_RUNS_SCALE`, e.g. 10 for a long local hunt)
 * and, when `FC_SEED` is set, that seed. fast-check prints the seed and the shrunk counterexample
 * on failure; rerun with `FC_SEED=<seed>` to reproduce it.
 */
export function check<Ts extends [unknown, ...unknown[]]>(property: fc.IProperty<Ts>, numRuns: number): void {
  const scale = Number(process.env['FC_RUNS_SCALE'] ?? '1');
  const seed = process.env['FC_SEED'] === undefined ? undefined : Number(process.env['FC_SEED']);
  fc.assert(property, {
    numRuns: Math.max(1, Math.round(numRuns * (Number.isFinite(scale) && scale > 0 ? scale : 1))),
    ...(seed === undefined ? {} : { seed }),
    reporter: (details) => {
      if (!details.failed) return;
      // Counterexamples built from fixtures are whole files: keep the seed, the path and the error readable.
      const message = (fc.defaultReportMessage(details) ?? 'property failed').replace(/^(Counterexample: .{0,1500}).*$/m, '$1… (cut)');
      throw new Error(message, { cause: details.errorInstance });
    },
  });
}

/** `check` for async properties (parsers that load their YAML or TOML reader lazily). */
export async function checkAsync<Ts extends [unknown, ...unknown[]]>(property: fc.IAsyncProperty<Ts>, numRuns: number): Promise<void> {
  const scale = Number(process.env['FC_RUNS_SCALE'] ?? '1');
  const seed = process.env['FC_SEED'] === undefined ? undefined : Number(process.env['FC_SEED']);
  await fc.assert(property, {
    numRuns: Math.max(1, Math.round(numRuns * (Number.isFinite(scale) && scale > 0 ? scale : 1))),
    ...(seed === undefined ? {} : { seed }),
    reporter: (details) => {
      if (!details.failed) return;
      const message = (fc.defaultReportMessage(details) ?? 'property failed').replace(/^(Counterexample: .{0,1500}).*$/m, '$1… (cut)');
      throw new Error(message, { cause: details.errorInstance });
    },
  });
}

/** `timed` for a parser that returns a promise. */
export async function timedAsync<T>(label: string, parse: () => Promise<T>): Promise<T> {
  tried.cases++;
  const start = performance.now();
  const result = await parse();
  const ms = performance.now() - start;
  assert.ok(ms < MAX_CASE_MS, `${label} took ${Math.round(ms)} ms`);
  return result;
}

/** Counts the cases every property suite tried, for the report in the README (printed once at exit when FC_COUNT is set). */
export const tried = { cases: 0 };
if (process.env['FC_COUNT'] !== undefined) process.on('exit', () => console.log(`property cases tried: ${tried.cases}`));

/**
 * The most one parser call may take. Generous (machines and CI vary): a hang or an input-size
 * blow-up shows up as seconds, a healthy parse of these inputs as milliseconds.
 */
export const MAX_CASE_MS = 2000;

/** Runs `parse` once, asserting it returns (never throws) within MAX_CASE_MS; returns its result. */
export function timed<T>(label: string, parse: () => T): T {
  tried.cases++;
  const start = performance.now();
  const result = parse();
  const ms = performance.now() - start;
  assert.ok(ms < MAX_CASE_MS, `${label} took ${Math.round(ms)} ms`);
  return result;
}

/** Own property names of Object.prototype and friends, taken before a suite runs. */
export function prototypeSnapshot(): string {
  return JSON.stringify([Object.prototype, Array.prototype, Function.prototype, String.prototype].map((p) => Object.getOwnPropertyNames(p).sort()));
}

/** Fails when anything was added to the built-in prototypes, or a plain object inherits a planted field. */
export function assertNoPollution(before: string): void {
  assert.equal(prototypeSnapshot(), before, 'a built-in prototype gained a property');
  const probe = {} as Record<string, unknown>;
  for (const key of ['polluted', 'version', 'isAdmin', 'name', 'resolved']) assert.equal(probe[key], undefined, `({}).${key} is inherited`);
}

/**
 * Asserts that `value` is plain data that JSON keeps as is: strings, finite numbers, booleans, null,
 * arrays and objects whose prototype is Object.prototype or null (undefined object fields are allowed:
 * JSON drops them, as the domain types intend). Returns the number of nodes, to bound output size.
 */
export function assertPlainData(value: unknown, path = '$'): number {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return 1;
  if (typeof value === 'number') {
    assert.ok(Number.isFinite(value), `${path} is ${value}`);
    return 1;
  }
  assert.equal(typeof value, 'object', `${path} is a ${typeof value}`);
  if (Array.isArray(value)) {
    let nodes = 1;
    value.forEach((item, i) => {
      assert.notEqual(item, undefined, `${path}[${i}] is undefined`);
      nodes += assertPlainData(item, `${path}[${i}]`);
    });
    return nodes;
  }
  const proto: unknown = Object.getPrototypeOf(value);
  assert.ok(proto === Object.prototype || proto === null, `${path} is not a plain object`);
  let nodes = 1;
  for (const key of Reflect.ownKeys(value as object)) {
    assert.equal(typeof key, 'string', `${path} has a symbol key`);
    const field = (value as Record<string, unknown>)[key as string];
    if (field !== undefined) nodes += assertPlainData(field, `${path}.${String(key)}`);
  }
  return nodes;
}

/** Asserts that a message is well-formed text: no lone surrogate, which a UTF-8 encoder would mangle. */
export function assertWellFormed(text: string): void {
  assert.equal(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text), false, `ill-formed text: ${JSON.stringify(text.slice(0, 200))}`);
}

/** Asserts that every Location in a result lies inside the text it was read from. */
export function assertLocationsWithin(locations: readonly ({ offset: number; length: number; line: number; column: number } | undefined)[], text: string): void {
  for (const location of locations) {
    if (location === undefined) continue;
    const { offset, length, line, column } = location;
    assert.ok(Number.isSafeInteger(offset) && offset >= 0 && offset <= text.length, `offset ${offset} outside a text of ${text.length}`);
    assert.ok(Number.isSafeInteger(length) && length >= 0 && offset + length <= text.length, `span ${offset}+${length} outside a text of ${text.length}`);
    assert.ok(line >= 1 && column >= 1, `line ${line}, column ${column}`);
  }
}

/** Strings attackers and broken tools put in files: prototype keys, traversal, markers, controls, markup, huge and deep values. */
export const HOSTILE_STRINGS: readonly string[] = [
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  'valueOf',
  '',
  ' ',
  '.',
  '..',
  '../../x',
  'node_modules/../../x',
  'node_modules/__proto__',
  'node_modules/constructor',
  '/etc/passwd',
  'C:\\x\\y',
  '@scope/../x',
  'ünïcödé',
  '😀',
  '\ud800',
  'a\u202eb',
  '\u001b[2J\u001b[31mred',
  '\u009b31m',
  'line\r\nbreak',
  '\u0000',
  '\uFEFF',
  '<<<<<<< HEAD',
  '=======',
  '>>>>>>> branch',
  '[x](command:workbench.action.terminal.new)',
  '<img src=x onerror=alert(1)>',
  '](javascript:alert(1))',
  '```',
  '${HOME}',
  '${constructor}',
  '1.0.0',
  'npm:__proto__@1',
  'file:../..',
  'git+ssh://git@github.com/a/b.git',
  'latest',
  '*',
  'a'.repeat(300),
  'x'.repeat(5000),
];

/** A hostile string, or any string (full Unicode, lone surrogates included). */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
);

/** Text fragments that break JSON, YAML and ini files in the ways broken tools and attackers do. */
const HOSTILE_FRAGMENTS: readonly string[] = [
  '"__proto__": {"polluted": true},',
  '"constructor": {"prototype": {"polluted": true}},',
  '"node_modules/../../x": {"version": "1.0.0"},',
  '"node_modules/__proto__": {"version": "1.0.0"},',
  '"lockfileVersion": 99,',
  '"version": 5,',
  '"link": true,',
  '"resolved": "file:../..",',
  '"dependencies": {"__proto__": "1.0.0", "constructor": "latest"},',
  '\n<<<<<<< HEAD\n',
  '\n=======\n',
  '\n>>>>>>> feature\n',
  '\n||||||| base\n',
  '\uFEFF',
  '\r\n',
  '\r',
  '/* comment */',
  '// comment\n',
  ',',
  ',,',
  '}',
  ']',
  '{',
  '[',
  '"',
  '\\',
  ':',
  'null',
  '1e999',
  '-0',
  '{'.repeat(300),
  '['.repeat(300),
  '"' + 'a'.repeat(20_000) + '"',
  '\u0000',
  '\u202e',
  '\u001b[2J',
  '\n  - ',
  ': &a [*a, *a]\n',
  '"\\ud800"',
];

/** One edit to a text. Positions are taken modulo the text's length, so any edit applies to any text. */
export type Mutation =
  | { readonly kind: 'delete'; readonly at: number; readonly length: number }
  | { readonly kind: 'insert'; readonly at: number; readonly text: string }
  | { readonly kind: 'duplicate'; readonly at: number; readonly length: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'swap'; readonly at: number; readonly other: number; readonly length: number };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.oneof(fc.constantFrom(...HOSTILE_FRAGMENTS), hostileString) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 400 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), other: fc.nat(), length: fc.integer({ min: 1, max: 100 }) }),
);

export function applyMutation(text: string, m: Mutation): string {
  const at = text.length === 0 ? 0 : m.at % (text.length + 1);
  switch (m.kind) {
    case 'delete':
      return text.slice(0, at) + text.slice(at + m.length);
    case 'insert':
      return text.slice(0, at) + m.text + text.slice(at);
    case 'duplicate':
      return text.slice(0, at + m.length) + text.slice(at, at + m.length) + text.slice(at + m.length);
    case 'truncate':
      return text.slice(0, at);
    case 'swap': {
      const other = text.length === 0 ? 0 : m.other % (text.length + 1);
      const [a, b] = at <= other ? [at, other] : [other, at];
      if (b - a < m.length) return text;
      return text.slice(0, a) + text.slice(b, b + m.length) + text.slice(a + m.length, b) + text.slice(a, a + m.length) + text.slice(b + m.length);
    }
  }
}

/** A text after up to `max` mutations. */
export function mutated(texts: fc.Arbitrary<string>, max = 6): fc.Arbitrary<string> {
  return fc.tuple(texts, fc.array(mutation, { minLength: 1, maxLength: max })).map(([text, ms]) => ms.reduce(applyMutation, text));
}

/** Hostile JSON values: prototype keys (as own keys, as JSON.parse makes them), wrong types, long strings. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, '1.0.0', '2025-01-01T00:00:00.000Z'),
    hostileString,
    fc.array(tie('value'), { maxLength: 4 }),
    tie('object'),
  ),
  object: fc
    .array(fc.tuple(fc.oneof(hostileString, fc.constantFrom('name', 'version', 'versions', 'time', 'dist-tags', 'scripts', 'dependencies', 'packages')), tie('value')), { maxLength: 6 })
    .map((pairs) => JSON.parse(`{${pairs.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}`).join(',')}}`) as unknown),
})).value;

/** Sets `value` at a random path of a parsed JSON document (creating own keys, `__proto__` included), or deletes the key there. */
export interface JsonEdit {
  readonly path: readonly number[];
  readonly key: string;
  readonly value: unknown;
  readonly remove: boolean;
}

export const jsonEdit: fc.Arbitrary<JsonEdit> = fc.record({
  path: fc.array(fc.nat(), { maxLength: 5 }),
  key: fc.oneof(hostileString, fc.constantFrom('version', 'versions', 'time', 'dist-tags', 'scripts', 'resolved', 'integrity', 'dependencies', 'requires', 'link', 'packages', 'lockfileVersion', 'name', '_npmUser', 'maintainers', 'dist', 'deprecated', 'workspaces')),
  value: hostileJson,
  remove: fc.boolean(),
});

/** Applies JSON edits to a deep copy: each walks `path` (indices into the keys at each level) and sets or deletes `key`. */
export function applyJsonEdits(doc: unknown, edits: readonly JsonEdit[]): unknown {
  const copy: unknown = JSON.parse(JSON.stringify(doc));
  for (const edit of edits) {
    let node: unknown = copy;
    for (const step of edit.path) {
      if (node === null || typeof node !== 'object') break;
      const keys = Object.keys(node);
      if (keys.length === 0) break;
      const next: unknown = (node as Record<string, unknown>)[keys[step % keys.length]!];
      if (next === null || typeof next !== 'object') break;
      node = next;
    }
    if (node === null || typeof node !== 'object' || Array.isArray(node)) continue;
    if (edit.remove) {
      const keys = Object.keys(node);
      if (keys.length > 0) delete (node as Record<string, unknown>)[keys[edit.path.length % keys.length]!];
    } else {
      Object.defineProperty(node, edit.key, { value: edit.value, enumerable: true, writable: true, configurable: true });
    }
  }
  return copy;
}

/** Every file under test/fixtures/<kind> whose name passes `accept`, as `{ name, text }` (name relative to the kind folder). */
export function fixtureTexts(kind: string, accept: (file: string) => boolean): { readonly name: string; readonly text: string }[] {
  const root = join(FIXTURES, kind);
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((entry) => {
      const path = join(dir, entry);
      if (entry === 'node_modules') return [];
      return statSync(path).isDirectory() ? walk(path) : accept(entry) ? [path] : [];
    });
  return walk(root)
    .sort()
    .map((path) => ({ name: relative(root, path).split('\\').join('/'), text: readFileSync(path, 'utf8') }));
}
