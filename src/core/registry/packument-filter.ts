/** Reads a packument's bytes as they arrive and keeps only the fields buildHistory reads, so a 20 MB document never sits in memory whole. */

import { INSTALL_HOOKS } from '../history';

/**
 * How a member's value is treated: copied as sent, dropped, or read as an object whose own members
 * are filtered by the named table. A value that is not an object where one is expected is copied.
 */
type Fate = 'keep' | 'drop' | Table;
type Table = 'document' | 'versions' | 'version' | 'dist' | 'scripts';

const keep = (...names: string[]): Array<[string, Fate]> => names.map((name) => [name, 'keep']);

/**
 * The members buildHistory reads (history.ts: `buildHistory`, `readVersion`, `readScripts` and the
 * `FULL_ONLY` markers). A test records every property buildHistory touches and checks it is here.
 */
const MEMBERS: Readonly<Record<Exclude<Table, 'versions'>, ReadonlyMap<string, Fate>>> = {
  document: new Map([...keep('name', 'dist-tags', 'time'), ['versions', 'versions']]),
  version: new Map([
    ...keep('_npmUser', 'maintainers', 'hasInstallScript', 'gypfile', 'deprecated', 'repository', '_id', '_npmVersion', '_nodeVersion', 'gitHead'),
    ['dist', 'dist'],
    ['scripts', 'scripts'],
  ]),
  dist: new Map(keep('integrity', 'tarball', 'attestations')),
  scripts: new Map(keep(...INSTALL_HOOKS)),
};

/** The names of each table as bytes, by length, for matching keys without decoding them. */
const ENCODED: Readonly<Record<Exclude<Table, 'versions'>, ReadonlyMap<number, ReadonlyArray<readonly [Uint8Array, Fate]>>>> = {
  document: encode(MEMBERS.document),
  version: encode(MEMBERS.version),
  dist: encode(MEMBERS.dist),
  scripts: encode(MEMBERS.scripts),
};

function encode(members: ReadonlyMap<string, Fate>): ReadonlyMap<number, ReadonlyArray<readonly [Uint8Array, Fate]>> {
  const byLength = new Map<number, Array<readonly [Uint8Array, Fate]>>();
  for (const [name, fate] of members) {
    const bytes = Buffer.from(name, 'latin1');
    byLength.set(bytes.length, [...(byLength.get(bytes.length) ?? []), [bytes, fate]]);
  }
  return byLength;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;


const isSpace = (byte: number): boolean => byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;

/** Where a filtered object is: before a key (`first`: none seen yet), in a key, before the colon, before the value, after the value. */
type ObjectState = 'first-key' | 'key' | 'in-key' | 'colon' | 'value' | 'after-value';

interface ObjectFrame {
  readonly table: Table;
  state: ObjectState;
  /** Members written so far (a comma goes before every one after the first). */
  written: number;
  /** The part of the key being read that arrived in earlier chunks (copied); usually empty. */
  keyParts: Uint8Array[];
  /** Whether the key had an escape (such a key is kept as is: it may decode to a name we read). */
  keyEscaped: boolean;
  keyEscape: boolean;
  fate: Fate;
}

/** A value being copied or skipped: a string, a container (with its depth) or a bare number/literal. */
interface ValueScan {
  readonly copy: boolean;
  depth: number;
  inString: boolean;
  escape: boolean;
  scalar: boolean;
}

export type FilterResult = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly message: string };

/**
 * Streams a packument through `write` and returns, from `end`, the JSON of the same document without
 * the members buildHistory never reads (readmes, dependencies, descriptions, signatures, …), so that
 * `buildHistory(name, JSON.parse(text))` equals what the whole document gives.
 *
 * Members that are kept are copied byte for byte and parsed later by JSON.parse; the structure around
 * them is checked here, and a malformed or truncated document ends as `{ ok: false }` with a message.
 * Dropped values are only scanned for their end (strings, nesting), not validated. A document that
 * is not a JSON object is passed through unchanged, for JSON.parse to judge.
 */
export class PackumentFilter {
  private out = new Uint8Array(64 * 1024);
  private length = 0;
  private readonly frames: ObjectFrame[] = [];
  private value: ValueScan | undefined;
  /** `start`: before the document; `object`: in the document object; `pass`: copying verbatim (not an object, or after it). */
  private mode: 'start' | 'object' | 'pass' = 'start';
  private error: string | undefined;
  private position = 0;

  write(bytes: Uint8Array): void {
    if (this.error !== undefined) return;
    const chunk = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let i = 0;
    const n = chunk.length;
    while (i < n && this.error === undefined) {
      if (this.mode === 'pass') {
        this.emit(chunk, i, n);
        i = n;
      } else if (this.value !== undefined) {
        i = this.scanValue(chunk, i);
      } else if (this.mode === 'start') {
        const byte = chunk[i] as number;
        if (isSpace(byte)) {
          i++;
        } else if (byte === OPEN_OBJECT) {
          this.openObject('document');
          this.mode = 'object';
          i++;
        } else {
          this.mode = 'pass';
        }
      } else {
        i = this.stepObject(chunk, i);
      }
    }
    this.position += n;
  }

  end(): FilterResult {
    if (this.error !== undefined) return { ok: false, message: this.error };
    if (this.mode === 'start' || this.frames.length > 0 || this.value !== undefined) {
      return { ok: false, message: `Unexpected end of JSON input after ${this.position} bytes` };
    }
    return { ok: true, text: Buffer.from(this.out.buffer, this.out.byteOffset, this.length).toString('utf8') };
  }

  /** One step inside a filtered object at `chunk[i]`; returns the next index. */
  private stepObject(chunk: Uint8Array, i: number): number {
    const frame = this.frames[this.frames.length - 1] as ObjectFrame;
    const byte = chunk[i] as number;
    if (frame.state === 'in-key') return this.readKey(frame, chunk, i);
    if (isSpace(byte)) return i + 1;
    switch (frame.state) {
      case 'first-key':
      case 'key':
        if (byte === QUOTE) {
          frame.state = 'in-key';
          frame.keyParts = [];
          frame.keyEscaped = false;
          frame.keyEscape = false;
          return i + 1;
        }
        if (byte === CLOSE_OBJECT && frame.state === 'first-key') return this.closeObject(i);
        return this.fail(byte, i);
      case 'colon':
        if (byte !== COLON) return this.fail(byte, i);
        frame.state = 'value';
        return i + 1;
      case 'value':
        return this.startValue(frame, chunk, i);
      default:
        if (byte === COMMA) {
          frame.state = 'key';
          return i + 1;
        }
        if (byte === CLOSE_OBJECT) return this.closeObject(i);
        return this.fail(byte, i);
    }
  }

  private readKey(frame: ObjectFrame, chunk: Uint8Array, start: number): number {
    let i = start;
    const n = chunk.length;
    while (i < n) {
      const byte = chunk[i] as number;
      if (frame.keyEscape) {
        frame.keyEscape = false;
      } else if (byte === BACKSLASH) {
        frame.keyEscape = true;
        frame.keyEscaped = true;
      } else if (byte === QUOTE) {
        frame.fate = this.fateOf(frame, chunk, start, i);
        // A kept member is written now, key first; its value follows as it is read.
        if (frame.fate !== 'drop') {
          if (frame.written++ > 0) this.emitByte(COMMA);
          this.emitByte(QUOTE);
          for (const part of frame.keyParts) this.emit(part, 0, part.length);
          this.emit(chunk, start, i);
          this.emitByte(QUOTE);
          this.emitByte(COLON);
        }
        frame.keyParts = [];
        frame.state = 'colon';
        return i + 1;
      }
      i++;
    }
    frame.keyParts.push(chunk.slice(start, n));
    return n;
  }

  /** The fate of the member whose key is `keyParts` followed by `chunk[from, to)`. */
  private fateOf(frame: ObjectFrame, chunk: Uint8Array, from: number, to: number): Fate {
    if (frame.table === 'versions') return 'version';
    if (frame.keyEscaped) return 'keep';
    let bytes = chunk;
    if (frame.keyParts.length > 0) {
      bytes = Buffer.concat([...frame.keyParts, chunk.subarray(from, to)]);
      [from, to] = [0, bytes.length];
    }
    const candidates = ENCODED[frame.table].get(to - from);
    if (candidates === undefined) return 'drop';
    for (const [name, fate] of candidates) {
      let k = 0;
      while (k < name.length && name[k] === bytes[from + k]) k++;
      if (k === name.length) return fate;
    }
    return 'drop';
  }

  /** At the first byte of a member's value: write the key if the member is kept, then filter, copy or skip the value. */
  private startValue(frame: ObjectFrame, chunk: Uint8Array, i: number): number {
    const byte = chunk[i] as number;
    frame.state = 'after-value';
    const fate = frame.fate;
    if (fate !== 'keep' && fate !== 'drop' && byte === OPEN_OBJECT) {
      this.openObject(fate);
      return i + 1;
    }
    this.value = { copy: fate !== 'drop', depth: 0, inString: false, escape: false, scalar: false };
    if (byte === QUOTE) this.value.inString = true;
    else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) this.value.depth = 1;
    else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY || byte === COMMA || byte === COLON) return this.fail(byte, i);
    else this.value.scalar = true;
    if (this.value.copy) this.emit(chunk, i, i + 1);
    return i + 1;
  }

  /** Copies or skips the current value from `chunk[start]`; returns the index after it, or the chunk's end. */
  private scanValue(chunk: Buffer, start: number): number {
    const value = this.value as ValueScan;
    const n = chunk.length;
    let { depth, inString, escape } = value;
    let i = start;
    let done = false;
    if (value.scalar) {
      while (i < n) {
        const byte = chunk[i] as number;
        if (byte === COMMA || byte === CLOSE_OBJECT || byte === CLOSE_ARRAY || isSpace(byte)) {
          done = true;
          break;
        }
        i++;
      }
    } else {
      // Most bytes are string contents (readmes): jump from quote to backslash with memchr, not byte by byte.
      let nextQuote = -2;
      let nextBackslash = -2;
      while (i < n) {
        if (inString) {
          if (escape) {
            escape = false;
            i++;
            continue;
          }
          if (nextQuote !== -1 && nextQuote < i) nextQuote = chunk.indexOf(QUOTE, i);
          if (nextBackslash !== -1 && nextBackslash < i) nextBackslash = chunk.indexOf(BACKSLASH, i);
          const stop = nextQuote === -1 ? nextBackslash : nextBackslash === -1 ? nextQuote : Math.min(nextQuote, nextBackslash);
          if (stop === -1) {
            i = n;
            break;
          }
          i = stop + 1;
          if (stop === nextBackslash) {
            escape = true;
          } else {
            inString = false;
            if (depth === 0) {
              done = true;
              break;
            }
          }
          continue;
        }
        const byte = chunk[i++] as number;
        if (byte === QUOTE) {
          inString = true;
        } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
          depth++;
        } else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
          if (--depth === 0) {
            done = true;
            break;
          }
        }
      }
    }
    if (value.copy) this.emit(chunk, start, i);
    value.depth = depth;
    value.inString = inString;
    value.escape = escape;
    if (done) this.value = undefined;
    return i;
  }

  private openObject(table: Table): void {
    this.frames.push({ table, state: 'first-key', written: 0, keyParts: [], keyEscaped: false, keyEscape: false, fate: 'drop' });
    this.emitByte(OPEN_OBJECT);
  }

  private closeObject(i: number): number {
    this.frames.pop();
    this.emitByte(CLOSE_OBJECT);
    // After the document object, whatever follows is copied for JSON.parse to judge (whitespace, or garbage it rejects).
    if (this.frames.length === 0) this.mode = 'pass';
    return i + 1;
  }

  private fail(byte: number, i: number): number {
    const shown = byte >= 0x20 && byte < 0x7f ? `'${String.fromCharCode(byte)}'` : `byte 0x${byte.toString(16).padStart(2, '0')}`;
    this.error = `Unexpected ${shown} at position ${this.position + i}`;
    return i + 1;
  }

  private emitByte(byte: number): void {
    this.reserve(1);
    this.out[this.length++] = byte;
  }

  private emit(chunk: Uint8Array, from: number, to: number): void {
    if (to <= from) return;
    this.reserve(to - from);
    this.out.set(chunk.subarray(from, to), this.length);
    this.length += to - from;
  }

  private reserve(extra: number): void {
    if (this.length + extra <= this.out.length) return;
    let size = this.out.length * 2;
    while (size < this.length + extra) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.out.subarray(0, this.length));
    this.out = grown;
  }
}
