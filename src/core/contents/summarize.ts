/** Turns the files of one tarball into a TarballSummary: hashes, binary formats, package.json, and code shape and capabilities of JavaScript files. */

import { findCapabilities } from './capabilities';
import type { JsParser } from './load-js-parser';
import { measureShape } from './shape';
import type { TarFile } from './tar';
import type { BinaryFormat, FileFacts, InspectedTarball, ManifestFacts } from './types';

/** JavaScript files up to this size are kept in memory and analysed (generous for ~4 MB attack bundles). */
export const MAX_ANALYSE_BYTES = 16 * 1024 * 1024;
/** All kept files together: past this, further files are hashed but not analysed. */
export const MAX_KEPT_BYTES = 256 * 1024 * 1024;
const MAX_MANIFEST_BYTES = 1024 * 1024;
/** Extension-less files up to this size are kept to see whether they are node scripts (`#!/usr/bin/env node`). */
const MAX_SCRIPT_GUESS_BYTES = 1024 * 1024;

const JS_EXTENSION = /\.(?:js|cjs|mjs)$/i;

/**
 * A `keep` function for readTarball: package.json, JavaScript files up to MAX_ANALYSE_BYTES, and small
 * extension-less files, until MAX_KEPT_BYTES are kept in total. Stateful: make one per tarball.
 */
export function createKeepPolicy(): (path: string, size: number) => boolean {
  let kept = 0;
  return (path, size) => {
    const wanted =
      (path === 'package.json' && size <= MAX_MANIFEST_BYTES) ||
      (JS_EXTENSION.test(path) && size <= MAX_ANALYSE_BYTES) ||
      (!/\.[^/]*$/.test(path) && size <= MAX_SCRIPT_GUESS_BYTES);
    if (!wanted || kept + size > MAX_KEPT_BYTES) return false;
    kept += size;
    return true;
  };
}

/** Summarises the files read from one tarball (`integrity` is what the summary is cached under). */
export function summarizeFiles(files: readonly TarFile[], integrity: string, parser: JsParser): InspectedTarball {
  const facts: FileFacts[] = [];
  let manifest: ManifestFacts | undefined;
  let manifestError: string | undefined;
  for (const file of files) {
    if (file.path === 'package.json') {
      const read = readManifest(file.data);
      if (typeof read === 'string') manifestError = read;
      else manifest = read;
    }
    facts.push(describeFile(file, parser));
  }
  facts.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  if (manifest === undefined && manifestError === undefined) manifestError = 'the tarball has no package.json';
  return { status: 'ok', integrity, files: facts, ...(manifest === undefined ? {} : { manifest }), ...(manifestError === undefined ? {} : { manifestError }) };
}

function describeFile(file: TarFile, parser: JsParser): FileFacts {
  const binary = binaryFormat(file.path, file.head);
  const base: FileFacts = { path: file.path, size: file.size, sha256: file.sha256, executable: (file.mode & 0o111) !== 0, ...(binary === undefined ? {} : { binary }) };
  if (binary !== undefined || !isJavaScript(file)) return base;
  if (file.data === undefined) return { ...base, notAnalysed: `larger than the ${MAX_ANALYSE_BYTES / (1024 * 1024)} MB analysis cap` };
  const text = file.data.toString('utf8');
  return { ...base, shape: measureShape(text), code: findCapabilities(parser, text, file.path) };
}

function isJavaScript(file: TarFile): boolean {
  if (JS_EXTENSION.test(file.path)) return true;
  if (/\.[^/]*$/.test(file.path)) return false;
  const firstLine = file.head.toString('latin1').split('\n')[0] ?? '';
  return /^#!.*\bnode\b/.test(firstLine);
}

/** The executable format shown by a file's first bytes, or its `.node` name (a Node.js native addon). */
export function binaryFormat(path: string, head: Buffer): BinaryFormat | undefined {
  if (path.toLowerCase().endsWith('.node')) return 'node-addon';
  if (head.length < 4) return undefined;
  const magic = head.readUInt32BE(0);
  if (magic === 0x7f454c46) return 'elf';
  if (magic === 0xfeedface || magic === 0xfeedfacf || magic === 0xcefaedfe || magic === 0xcffaedfe) return 'mach-o';
  // 0xcafebabe is also a Java class file; those are named `.class`.
  if (magic === 0xcafebabe && !path.endsWith('.class')) return 'mach-o';
  // DOS/PE: `MZ`, and the PE header offset at 0x3c points inside the file.
  if (head[0] === 0x4d && head[1] === 0x5a && head.length >= 64 && !/\.(?:md|txt|js|json|ts|html|css)$/i.test(path)) return 'pe';
  return undefined;
}

/** Reads the fields inspection compares from package.json bytes; a string explains why it could not. */
export function readManifest(data: Buffer | undefined): ManifestFacts | string {
  if (data === undefined) return `package.json is larger than ${MAX_MANIFEST_BYTES / 1024} KB`;
  let value: unknown;
  try {
    value = JSON.parse(data.toString('utf8').replace(/^\uFEFF/, ''));
  } catch (error) {
    return `package.json is not valid JSON (${error instanceof Error ? error.message : String(error)})`;
  }
  if (!isRecord(value)) return 'package.json is not a JSON object';
  const name = typeof value['name'] === 'string' ? value['name'] : undefined;
  return {
    ...(name === undefined ? {} : { name }),
    ...(typeof value['version'] === 'string' ? { version: value['version'] } : {}),
    scripts: stringRecord(value['scripts']),
    dependencies: stringRecord(value['dependencies']),
    optionalDependencies: stringRecord(value['optionalDependencies']),
    bin: normaliseBin(value['bin'], name),
    ...(typeof value['main'] === 'string' ? { main: value['main'] } : {}),
    exports: flattenExports(value['exports']),
  };
}

/** npm's bin normalisation: a string names one command after the package (scope dropped); paths lose `./`. */
export function normaliseBin(bin: unknown, name: string | undefined): Record<string, string> {
  const entries: Array<[string, string]> =
    typeof bin === 'string' ? (name === undefined ? [] : [[name.replace(/^@[^/]+\//, ''), bin]]) : Object.entries(stringRecord(bin));
  return Object.fromEntries(entries.map(([command, path]) => [command, normalisePath(path)]).sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** `./lib//x.js` → `lib/x.js`. */
export function normalisePath(path: string): string {
  const parts: string[] = [];
  for (const part of path.replace(/\\/g, '/').split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return parts.join('/');
}

function flattenExports(value: unknown, depth = 0, out: string[] = []): string[] {
  if (depth > 8 || out.length >= 200) return out;
  if (typeof value === 'string') out.push(normalisePath(value));
  else if (Array.isArray(value)) for (const item of value) flattenExports(item, depth + 1, out);
  else if (isRecord(value)) for (const item of Object.values(value)) flattenExports(item, depth + 1, out);
  return out;
}

function stringRecord(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  // fromEntries defines own properties, so a `__proto__` key stays data instead of setting the prototype.
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
