/** Reads the entries of a Yarn Berry (2+) lockfile: YAML, one entry at a time with @yarnpkg/parsers' parseSyml. */

import { isValidPackageName } from '../spec';
import type { Reporter } from './reporter';
import { quote } from './npm-entry';
import { isSafeRelativePath } from './npm-paths';
import type { Parsers } from './load-parsers';
import type { Block } from './yarn-blocks';
import { displayKey, splitKey } from './yarn-blocks';
import { berryOrigin, normalizeBerryRange } from './yarn-descriptor';
import type { Edge, YarnEntry } from './yarn-entry';

type Syml = Parsers['parseSyml'];

/** `__metadata`: the lockfile format version and the cache key of the checksums. */
export interface BerryMetadata {
  readonly version?: number;
  readonly cacheKey?: string;
}

/**
 * Parses one block's body as YAML under a fixed key, so the key as written (which may be hostile)
 * never reaches the YAML parser as a property name. Parsing entry by entry costs no more than the
 * whole file at once and lets one damaged entry be skipped alone.
 */
function parseBody(block: Block, text: string, parseSyml: Syml): Record<string, unknown> | string {
  // Checked before parsing: a file of many bare keys must not cost a YAML parse each.
  if (text.slice(block.bodyStart, block.bodyEnd).trim() === '') return 'it has no fields';
  try {
    const parsed: unknown = parseSyml(`entry:\n${text.slice(block.bodyStart, block.bodyEnd)}\n`);
    const value = isRecord(parsed) && Object.hasOwn(parsed, 'entry') ? parsed.entry : undefined;
    return isRecord(value) ? value : 'it is not a mapping';
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0].replace(/ \(\d+:\d+\)$/, '') : String(error);
    return `it is not valid YAML: ${reason}`;
  }
}

export function readBerryMetadata(block: Block, text: string, parseSyml: Syml): BerryMetadata | string {
  const body = parseBody(block, text, parseSyml);
  if (typeof body === 'string') return body;
  const version = stringOf(body, 'version');
  const cacheKey = stringOf(body, 'cacheKey');
  const number = version !== undefined && /^\d{1,9}$/.test(version) ? Number(version) : undefined;
  return { ...(number !== undefined ? { version: number } : {}), ...(cacheKey !== undefined ? { cacheKey } : {}) };
}

/**
 * Reads one entry: its `resolution` says what the package is (registry, patch, workspace, portal…),
 * `dependencies` (with `dependenciesMeta.optional`) its edges. `peerDependencies` are not edges: Yarn
 * takes a peer from the dependent's parent, which lists it as its own dependency.
 */
export function readBerryEntry(block: Block, text: string, parseSyml: Syml, report: Reporter): YarnEntry | undefined {
  const where = (): string => `${report.name} entry ${quote(displayKey(block.rawKey))}`;
  const descriptors = splitKey(block.rawKey);
  if (!descriptors || descriptors.length === 0) {
    report.error(`${where()} is not a list of \`name@range\` descriptors; it was skipped.`, block.span);
    return undefined;
  }
  const body = parseBody(block, text, parseSyml);
  if (typeof body === 'string') {
    report.error(`${where()} could not be read (${body}); it was skipped.`, block.span);
    return undefined;
  }
  const resolution = stringOf(body, 'resolution');
  const origin = resolution === undefined ? undefined : berryOrigin(resolution);
  if (resolution === undefined || !origin) {
    report.error(`${where()} has no ${resolution === undefined ? '' : 'readable '}resolution; it was skipped.`, block.span);
    return undefined;
  }
  if (!isValidPackageName(origin.name)) {
    report.error(`${where()} resolves to an invalid package name ${quote(origin.name)}; it was skipped.`, block.span);
    return undefined;
  }
  if (origin.workspace !== undefined && origin.workspace !== '' && !isSafeRelativePath(origin.workspace)) {
    report.error(`${where()} is a workspace with an unusable path ${quote(origin.workspace)}; it was skipped.`, block.span);
    return undefined;
  }
  const written = stringOf(body, 'version');
  // Yarn fetches what the resolution names, so a `version` that disagrees with it is not what installs.
  if (written !== undefined && origin.version !== undefined && written !== origin.version) {
    report.error(`${where()} says version ${quote(written)} but resolves to ${quote(resolution)}; the resolution's version ${origin.version} was used.`, block.span);
  }
  const version = origin.version ?? written;
  if (version === undefined || version === '') {
    report.error(`${where()} has no version; it was skipped.`, block.span);
    return undefined;
  }
  const checksum = stringOf(body, 'checksum');
  return {
    key: descriptors.join(', '),
    descriptors,
    span: block.span,
    name: origin.name,
    version,
    source: origin.source,
    ...(origin.source !== 'registry' && origin.source !== 'workspace' ? { resolved: resolution } : {}),
    ...(checksum !== undefined ? { checksum } : {}),
    ...(origin.patch !== undefined ? { patch: origin.patch } : {}),
    ...(origin.workspace !== undefined ? { workspace: origin.workspace } : {}),
    locator: resolution,
    edges: edgesOf(body),
  };
}

function edgesOf(body: Record<string, unknown>): Edge[] {
  const dependencies = body.dependencies;
  if (!isRecord(dependencies)) return [];
  const meta = isRecord(body.dependenciesMeta) ? body.dependenciesMeta : {};
  const edges: Edge[] = [];
  for (const [name, range] of Object.entries(dependencies)) {
    if (typeof range !== 'string' || !isValidPackageName(name)) continue;
    const flags = Object.hasOwn(meta, name) ? meta[name] : undefined;
    edges.push({ descriptor: `${name}@${normalizeBerryRange(range)}`, optional: isRecord(flags) && flags.optional === 'true' });
  }
  return edges;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own string property (parseSyml reads every scalar as a string). */
function stringOf(record: Record<string, unknown>, key: string): string | undefined {
  const value = Object.hasOwn(record, key) ? record[key] : undefined;
  return typeof value === 'string' ? value : undefined;
}
