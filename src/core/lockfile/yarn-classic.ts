/** Reads the entries of a Yarn classic (v1) lockfile: an indented `key value` format, read line by line. */

import { isValidPackageName } from '../spec';
import type { Reporter } from './reporter';
import { quote } from './npm-entry';
import type { Block, Line } from './yarn-blocks';
import { displayKey, linesOf, splitKey, unquote } from './yarn-blocks';
import { classicName, classicSource, splitDescriptor } from './yarn-descriptor';
import type { Edge, YarnEntry } from './yarn-entry';

type Value = string | Map<string, string>;

/**
 * Reads one entry. Fields Yarn writes (`version`, `resolved`, `integrity`, `dependencies`,
 * `optionalDependencies`) are kept; anything else is ignored, as Yarn ignores it. Entries that
 * cannot be installed (no version, no readable key, an invalid name) are reported and skipped.
 */
export function readClassicEntry(block: Block, text: string, report: Reporter): YarnEntry | undefined {
  const where = (): string => `${report.name} entry ${quote(displayKey(block.rawKey))}`;
  const descriptors = splitKey(block.rawKey);
  const first = descriptors?.[0] === undefined ? undefined : splitDescriptor(descriptors[0]);
  if (!descriptors || !first) {
    report.error(`${where()} is not a list of \`name@range\` descriptors; it was skipped.`, block.span);
    return undefined;
  }
  const name = classicName(first.name, first.range);
  if (!isValidPackageName(first.name) || !isValidPackageName(name)) {
    report.error(`${where()} names an invalid package ${quote(isValidPackageName(first.name) ? name : first.name)}; it was skipped.`, block.span);
    return undefined;
  }
  const fields = readFields(linesOf(text, block.bodyStart, block.bodyEnd), where, report);
  const version = fields.get('version');
  if (typeof version !== 'string' || version === '') {
    report.error(`${where()} has no version; it was skipped.`, block.span);
    return undefined;
  }
  const rawResolved = stringField(fields, 'resolved');
  const { url: resolved, sha1 } = splitResolved(rawResolved);
  const integrity = stringField(fields, 'integrity') ?? (sha1 ? `sha1-${Buffer.from(sha1, 'hex').toString('base64')}` : undefined);
  const edges: Edge[] = [
    ...edgesOf(fields.get('dependencies'), false),
    ...edgesOf(fields.get('optionalDependencies'), true),
  ];
  return {
    key: descriptors.join(', '),
    descriptors,
    span: block.span,
    name,
    version,
    source: classicSource(first.name, first.range, resolved, version),
    ...(resolved !== undefined ? { resolved } : {}),
    ...(integrity !== undefined ? { integrity } : {}),
    edges,
  };
}

/** The fields of an entry's body: `key value` lines, and `key:` lines opening a map of `name range` lines. */
function readFields(lines: readonly Line[], where: () => string, report: Reporter): Map<string, Value> {
  const fields = new Map<string, Value>();
  let fieldIndent = -1;
  let map: Map<string, string> | undefined;
  let mapIndent = -1;
  for (const line of lines) {
    const indent = line.text.length - line.text.trimStart().length;
    const content = line.text.trim();
    if (content === '' || content.startsWith('#')) continue;
    if (fieldIndent < 0) fieldIndent = indent;
    const pair = readPair(content);
    if (!pair || indent < fieldIndent || (indent > fieldIndent && !map)) {
      report.error(`${where()} has a line that cannot be read, ${quote(content)}; it was ignored.`, { offset: line.offset + indent, length: content.length });
      continue;
    }
    if (indent === fieldIndent) {
      map = pair.value === undefined ? new Map() : undefined;
      mapIndent = -1;
      fields.set(pair.key, map ?? pair.value ?? '');
      continue;
    }
    // Inside a map: only its own level is meaningful; Yarn writes nothing deeper.
    if (mapIndent < 0) mapIndent = indent;
    if (map && indent === mapIndent && pair.value !== undefined) map.set(pair.key, pair.value);
  }
  return fields;
}

/** `key value`, `key: value` or `key:` (value undefined); keys and values may be double-quoted. */
function readPair(content: string): { key: string; value?: string } | undefined {
  const keyEnd = tokenEnd(content, true);
  if (keyEnd === undefined || keyEnd === 0) return undefined;
  const key = unquote(content.slice(0, keyEnd));
  if (key === undefined) return undefined;
  let rest = content.slice(keyEnd);
  const colon = rest.startsWith(':');
  if (colon) rest = rest.slice(1);
  rest = rest.trim();
  if (rest === '') return colon ? { key } : undefined;
  const valueEnd = tokenEnd(rest, false);
  if (valueEnd !== rest.length) return undefined;
  const value = unquote(rest);
  return value === undefined ? undefined : { key, value };
}

/** The end of the token that starts `text`: a double-quoted string, or text up to a space (or, for keys, a colon). */
function tokenEnd(text: string, isKey: boolean): number | undefined {
  if (text.startsWith('"')) {
    for (let i = 1; i < text.length; i++) {
      if (text.charAt(i) === '\\') i++;
      else if (text.charAt(i) === '"') return i + 1;
    }
    return undefined;
  }
  const stop = text.search(isKey ? /[\s:]/ : /\s/);
  return stop < 0 ? text.length : stop;
}

function stringField(fields: ReadonlyMap<string, Value>, key: string): string | undefined {
  const value = fields.get(key);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function edgesOf(value: Value | undefined, optional: boolean): Edge[] {
  if (!(value instanceof Map)) return [];
  return [...value].map(([name, range]) => ({ descriptor: `${name}@${range}`, optional }));
}

/**
 * Classic appends the tarball's sha1 to registry URLs (`…/ms-2.1.3.tgz#574c81…`). The fragment is not
 * part of the URL fetched, so it is split off; a git URL's fragment (a commit) is kept.
 */
function splitResolved(resolved: string | undefined): { url?: string; sha1?: string } {
  if (resolved === undefined) return {};
  const match = /^(https?:\/\/[^#]*)#([0-9a-f]{40})$/i.exec(resolved);
  return match && !/\.git$/i.test(match[1]) ? { url: match[1], sha1: match[2].toLowerCase() } : { url: resolved };
}
