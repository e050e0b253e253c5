/** Moves the times in fixture packuments to another clock, so a fixture written for one "now" reads as just as old at another. */

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The clock the packuments in test/fixtures/packuments are written against (see their README). */
export const PACKUMENT_FIXTURE_NOW = new Date('2025-10-05T12:00:00.000Z');

const TIME = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/;

/**
 * A copy of `doc` in which every time under `time` (nested ones too, such as `time.unpublished.time`)
 * is moved by `to - from`; nothing outside `time` changes, and strings there that are not times stay
 * as they are. The text keeps its shape where it can: the number of fraction digits (at least 3;
 * digits past the millisecond become zeros) and a `Z` or `+00:00` suffix, so a mirror-style
 * `…00.123000+00:00` stays in that form. Other offsets come out as `Z`, the same instant.
 */
export function shiftPackumentTimes<T>(doc: T, from: Date, to: Date): T {
  if (!isObject(doc) || !isObject(doc.time)) return doc;
  const delta = to.getTime() - from.getTime();
  return { ...doc, time: shiftTree(doc.time, delta) } as T;
}

/** `shiftPackumentTimes` of one time string; undefined when it is not one. */
export function shiftTime(text: string, deltaMs: number): string | undefined {
  const match = TIME.exec(text);
  const ms = Date.parse(text);
  if (!match || Number.isNaN(ms)) return undefined;
  const [, , fraction = '', offset] = match;
  const iso = new Date(ms + deltaMs).toISOString();
  const digits = iso.slice(20, 23).padEnd(Math.max(3, fraction.length), '0');
  return `${iso.slice(0, 19)}.${digits}${offset === '+00:00' ? '+00:00' : 'Z'}`;
}

/**
 * Every packument in `dir` (`<name>.json`, a scoped name as `@scope__name.json`), shifted from
 * `from` to `to`, by package name: the `documents` option of `startFixtureRegistry`.
 */
export function readShiftedPackuments(dir: string, from: Date, to: Date): Record<string, unknown> {
  const documents: Record<string, unknown> = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const name = file.slice(0, -'.json'.length).replace('__', '/');
    documents[name] = shiftPackumentTimes(JSON.parse(readFileSync(join(dir, file), 'utf8')) as unknown, from, to);
  }
  return documents;
}

function shiftTree(value: unknown, delta: number): unknown {
  if (typeof value === 'string') return shiftTime(value, delta) ?? value;
  if (Array.isArray(value)) return value.map((v) => shiftTree(v, delta));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shiftTree(v, delta)]));
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
