/** Reads a (gzipped) npm tarball in memory, entry by entry, with caps, refusing anything npm pack would never produce. */

import { createHash } from 'node:crypto';
import { createGunzip } from 'node:zlib';

/** Caps on what one tarball may unpack to; beyond them it is not inspected. */
export interface TarLimits {
  /** All entries' data together, after gunzip (a gzip bomb stops here). */
  readonly maxUnpackedBytes: number;
  /** Headers read, directories included (a tar bomb of empty entries stops here). */
  readonly maxEntries: number;
  /** One file's size as its header declares it. */
  readonly maxFileBytes: number;
}

/**
 * Generous enough for real packages: typescript unpacks to ~23 MB, the biggest prebuilt-binary
 * packages ship single files of ~150 MB. Nothing but hashes and the first bytes of each file is
 * kept beyond what `keep` asks for, so these caps bound time, not memory.
 */
export const DEFAULT_TAR_LIMITS: TarLimits = {
  maxUnpackedBytes: 1024 * 1024 * 1024,
  maxEntries: 50_000,
  maxFileBytes: 512 * 1024 * 1024,
};

/** One regular file of the package, its path relative to the package folder (`lib/index.js`). */
export interface TarFile {
  readonly path: string;
  readonly size: number;
  /** The unix permission bits from the header. */
  readonly mode: number;
  /** sha256 of the content, hex. */
  readonly sha256: string;
  /** The first bytes (up to 64), for magic numbers. */
  readonly head: Buffer;
  /** The whole content, when `keep` asked for it. */
  readonly data?: Buffer;
}

/** Why an archive was refused: each is something `npm pack` never writes, or a cap. */
export type TarProblem =
  | 'not-gzip'
  | 'corrupt'
  | 'too-large'
  | 'too-many-entries'
  | 'file-too-large'
  | 'absolute-path'
  | 'path-traversal'
  | 'link'
  | 'special-file'
  | 'duplicate'
  | 'non-utf8-name';

export type TarResult =
  | { readonly ok: true; readonly files: readonly TarFile[] }
  | { readonly ok: false; readonly problem: TarProblem; readonly message: string; readonly entry?: string };

/** Decides, from a file's path and size, whether its content is kept in memory for analysis. */
export type KeepFile = (path: string, size: number) => boolean;

class Refused extends Error {
  constructor(
    readonly problem: TarProblem,
    message: string,
    readonly entry?: string,
  ) {
    super(message);
  }
}

const BLOCK = 512;
const HEAD_BYTES = 64;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Gunzips `tgz` (plain tar is accepted too) and reads its entries. Paths lose their first folder
 * (`package/`), as npm strips it. Refuses, with the offending entry: absolute paths, `..` segments,
 * symlinks and hard links, devices and fifos, a path repeated with different contents (an identical
 * repeat is kept once), names that are not UTF-8, and
 * archives past `limits`. Pax (`x`) and GNU long-name (`L`) headers are honoured; global pax
 * headers are ignored. Never throws: a broken archive is `{ ok: false, problem: 'corrupt' }`.
 */
export async function readTarball(tgz: Buffer, keep: KeepFile, limits: TarLimits = DEFAULT_TAR_LIMITS): Promise<TarResult> {
  try {
    const files = await readEntries(tgz, keep, limits);
    return { ok: true, files };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, problem: error.problem, message: error.message, ...(error.entry === undefined ? {} : { entry: error.entry }) };
    return { ok: false, problem: 'corrupt', message: `the archive is damaged: ${error instanceof Error ? error.message : String(error)}` };
  }
}

async function readEntries(tgz: Buffer, keep: KeepFile, limits: TarLimits): Promise<TarFile[]> {
  const gzipped = tgz.length >= 2 && tgz[0] === 0x1f && tgz[1] === 0x8b;
  const parser = new TarParser(keep, limits);
  if (!gzipped) {
    if (tgz.length < BLOCK || !isTarHeader(tgz.subarray(0, BLOCK))) throw new Refused('not-gzip', 'it is neither a gzip file nor a tar archive');
    if (tgz.length > limits.maxUnpackedBytes + BLOCK * 4) throw new Refused('too-large', `it unpacks to more than ${mb(limits.maxUnpackedBytes)}`);
    parser.write(tgz);
    return parser.end();
  }
  const gunzip = createGunzip();
  let unpacked = 0;
  // Data and headers count against the cap, so an archive of padding alone cannot run forever.
  const cap = limits.maxUnpackedBytes + limits.maxEntries * BLOCK * 3;
  const done = new Promise<void>((resolve, reject) => {
    gunzip.on('data', (chunk: Buffer) => {
      unpacked += chunk.length;
      try {
        if (unpacked > cap) throw new Refused('too-large', `it unpacks to more than ${mb(limits.maxUnpackedBytes)}`);
        parser.write(chunk);
      } catch (error) {
        gunzip.destroy();
        reject(error);
      }
    });
    gunzip.on('error', reject);
    gunzip.on('end', resolve);
  });
  gunzip.end(tgz);
  await done;
  return parser.end();
}

function isTarHeader(block: Buffer): boolean {
  return checksumOk(block) || block.every((b) => b === 0);
}

function checksumOk(block: Buffer): boolean {
  const stored = parseOctal(block.subarray(148, 156));
  if (stored === undefined) return false;
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : (block[i] ?? 0);
  return sum === stored;
}

function parseOctal(field: Buffer): number | undefined {
  // GNU base-256 sizes (high bit set) are for files over 8 GB: far past any cap, so refuse as corrupt.
  if (((field[0] ?? 0) & 0x80) !== 0) return undefined;
  const text = field.toString('latin1').replace(/\0.*$/s, '').trim();
  if (text === '') return 0;
  return /^[0-7]+$/.test(text) ? parseInt(text, 8) : undefined;
}

interface PendingEntry {
  readonly path: string;
  readonly type: string;
  readonly size: number;
  readonly mode: number;
  readonly keep: boolean;
  readonly hash: ReturnType<typeof createHash>;
  readonly chunks: Buffer[];
  head: Buffer;
  remaining: number;
  padding: number;
}

/** A push parser: `write` chunks in any sizes, `end` returns the files. */
class TarParser {
  private buffer: Buffer = Buffer.alloc(0);
  private entry: PendingEntry | undefined;
  private entries = 0;
  private dataBytes = 0;
  private zeroBlocks = 0;
  private finished = false;
  private paxPath: string | undefined;
  private paxSize: number | undefined;
  private longName: Buffer | undefined;
  /** Metadata entries (pax `x`, GNU `L`) whose body we collect before the real header. */
  private meta: { type: string; chunks: Buffer[]; remaining: number; padding: number } | undefined;
  private readonly files: TarFile[] = [];
  /** Path -> sha256 of the files read so far, to tell an identical repeat from a replacement. */
  private readonly seen = new Map<string, string>();

  constructor(
    private readonly keep: KeepFile,
    private readonly limits: TarLimits,
  ) {}

  write(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    let offset = 0;
    while (offset < this.buffer.length) {
      if (this.entry !== undefined || this.meta !== undefined) {
        offset += this.consumeData(this.buffer.subarray(offset));
        continue;
      }
      if (this.buffer.length - offset < BLOCK) break;
      this.readHeader(this.buffer.subarray(offset, offset + BLOCK));
      offset += BLOCK;
    }
    this.buffer = offset >= this.buffer.length ? Buffer.alloc(0) : Buffer.from(this.buffer.subarray(offset));
  }

  end(): TarFile[] {
    if (this.entry !== undefined || this.meta !== undefined) throw new Refused('corrupt', 'the archive ends in the middle of a file');
    if (this.files.length === 0 && this.entries === 0) throw new Refused('corrupt', 'the archive is empty');
    return this.files;
  }

  /** Consumes file data (and its padding) from `data`; returns the bytes used. */
  private consumeData(data: Buffer): number {
    const target = this.entry ?? this.meta;
    if (target === undefined) return 0;
    let used = 0;
    if (target.remaining > 0) {
      const part = data.subarray(0, Math.min(target.remaining, data.length));
      used = part.length;
      target.remaining -= part.length;
      if (this.entry !== undefined) {
        const entry = this.entry;
        entry.hash.update(part);
        if (entry.head.length < HEAD_BYTES) entry.head = Buffer.concat([entry.head, part.subarray(0, HEAD_BYTES - entry.head.length)]);
        if (entry.keep) entry.chunks.push(Buffer.from(part));
      } else if (this.meta !== undefined) {
        this.meta.chunks.push(Buffer.from(part));
      }
    }
    if (target.remaining === 0) {
      const skip = Math.min(target.padding, data.length - used);
      target.padding -= skip;
      used += skip;
      if (target.padding === 0) this.finishEntry();
    }
    return used;
  }

  private finishEntry(): void {
    const entry = this.entry;
    if (entry !== undefined) {
      this.entry = undefined;
      const data = entry.keep ? Buffer.concat(entry.chunks) : undefined;
      const sha256 = entry.hash.digest('hex');
      const earlier = this.seen.get(entry.path);
      // Some publishing tools write a file twice with the same bytes (agent-base 7.x does): harmless, kept once.
      // Different bytes mean extraction would silently replace the first copy with the second.
      if (earlier !== undefined && earlier !== sha256) {
        throw new Refused('duplicate', `${entry.path} appears twice with different contents; the second copy would silently replace the first`, entry.path);
      }
      if (earlier === undefined) {
        this.seen.set(entry.path, sha256);
        this.files.push({ path: entry.path, size: entry.size, mode: entry.mode, sha256, head: entry.head, ...(data === undefined ? {} : { data }) });
      }
      return;
    }
    const meta = this.meta;
    this.meta = undefined;
    if (meta === undefined) return;
    const body = Buffer.concat(meta.chunks);
    if (meta.type === 'L') this.longName = body.subarray(0, body.indexOf(0) === -1 ? body.length : body.indexOf(0));
    if (meta.type === 'x') this.readPax(body);
  }

  private readHeader(block: Buffer): void {
    if (this.finished) return; // anything after the end-of-archive marker is ignored, as tar does
    if (block.every((b) => b === 0)) {
      if (++this.zeroBlocks >= 2) this.finished = true;
      return;
    }
    this.zeroBlocks = 0;
    if (!checksumOk(block)) throw new Refused('corrupt', 'a tar header has a bad checksum');
    if (++this.entries > this.limits.maxEntries) throw new Refused('too-many-entries', `it has more than ${this.limits.maxEntries} entries`);
    const size = parseOctal(block.subarray(124, 136));
    const mode = parseOctal(block.subarray(100, 108)) ?? 0;
    if (size === undefined) throw new Refused('corrupt', 'a tar header has an unreadable size');
    const type = String.fromCharCode(block[156] || 0x30);
    const padding = (BLOCK - (size % BLOCK)) % BLOCK;

    if (type === 'x' || type === 'L' || type === 'g') {
      // Metadata about the next entry; a global header (`g`) is read and ignored.
      if (size > 1024 * 1024) throw new Refused('corrupt', `a ${type === 'L' ? 'long-name' : 'pax'} header is ${size} bytes long`);
      this.meta = { type, chunks: [], remaining: size, padding };
      if (size + padding === 0) this.finishEntry();
      return;
    }

    const rawName = this.longName ?? joinUstarName(block);
    const fullSize = this.paxSize ?? size;
    const name = this.paxPath ?? decodeName(rawName);
    this.longName = undefined;
    this.paxPath = undefined;
    this.paxSize = undefined;
    const path = checkPath(name);

    if (type === '1' || type === '2') {
      const target = decodeName(trimNul(block.subarray(157, 257)));
      throw new Refused('link', `${path} is a ${type === '2' ? 'symbolic' : 'hard'} link to ${JSON.stringify(target)}; npm pack never writes links`, path);
    }
    if (type !== '0' && type !== '7' && type !== '5') {
      throw new Refused('special-file', `${path} is a special file (tar type ${JSON.stringify(type)}), not a regular file or folder`, path);
    }
    if (type === '5') return; // folders carry no content; npm recreates them from file paths
    if (fullSize > this.limits.maxFileBytes) throw new Refused('file-too-large', `${path} is ${mb(fullSize)}, more than the ${mb(this.limits.maxFileBytes)} cap`, path);
    this.dataBytes += fullSize;
    if (this.dataBytes > this.limits.maxUnpackedBytes) throw new Refused('too-large', `it unpacks to more than ${mb(this.limits.maxUnpackedBytes)}`, path);
    const entryPadding = (BLOCK - (fullSize % BLOCK)) % BLOCK;
    this.entry = {
      path,
      type: '0',
      size: fullSize,
      mode,
      keep: this.keep(path, fullSize),
      hash: createHash('sha256'),
      chunks: [],
      head: Buffer.alloc(0),
      remaining: fullSize,
      padding: entryPadding,
    };
    if (fullSize + entryPadding === 0) this.finishEntry();
  }

  private readPax(body: Buffer): void {
    // Records are `<length> <key>=<value>\n`, the length counting the whole record in bytes.
    let offset = 0;
    while (offset < body.length) {
      const space = body.indexOf(0x20, offset);
      if (space === -1) break;
      const length = Number(body.subarray(offset, space).toString('latin1'));
      if (!Number.isInteger(length) || length <= 0 || offset + length > body.length) throw new Refused('corrupt', 'a pax header is malformed');
      const record = body.subarray(space + 1, offset + length - 1);
      const eq = record.indexOf(0x3d);
      if (eq !== -1) {
        const key = record.subarray(0, eq).toString('latin1');
        const value = record.subarray(eq + 1);
        if (key === 'path') this.paxPath = decodeName(value);
        if (key === 'size') {
          const parsed = Number(value.toString('latin1'));
          if (!Number.isSafeInteger(parsed) || parsed < 0) throw new Refused('corrupt', 'a pax header has an unreadable size');
          this.paxSize = parsed;
        }
      }
      offset += length;
    }
  }
}

function trimNul(field: Buffer): Buffer {
  const end = field.indexOf(0);
  return end === -1 ? field : field.subarray(0, end);
}

/** ustar splits long names into `prefix/name`. */
function joinUstarName(block: Buffer): Buffer {
  const name = trimNul(block.subarray(0, 100));
  const isUstar = block.subarray(257, 262).toString('latin1') === 'ustar';
  const prefix = isUstar ? trimNul(block.subarray(345, 500)) : Buffer.alloc(0);
  return prefix.length === 0 ? name : Buffer.concat([prefix, Buffer.from('/'), name]);
}

function decodeName(bytes: Buffer): string {
  try {
    return utf8.decode(bytes);
  } catch (error) {
    void error; // the reason is the bytes themselves, shown escaped below
    throw new Refused('non-utf8-name', `an entry name is not valid UTF-8 (${JSON.stringify(bytes.toString('latin1'))})`, bytes.toString('latin1'));
  }
}

/** The path inside the package: first folder stripped, refused when it could leave the folder. */
function checkPath(name: string): string {
  const shown = JSON.stringify(name);
  if (name.includes('\0')) throw new Refused('non-utf8-name', `the entry name ${shown} contains a NUL character`, name);
  if (name.startsWith('/') || name.startsWith('\\') || /^[A-Za-z]:/.test(name)) {
    throw new Refused('absolute-path', `the entry ${shown} has an absolute path`, name);
  }
  const parts = name.split(/[\\/]+/).filter((part) => part !== '' && part !== '.');
  if (parts.includes('..')) throw new Refused('path-traversal', `the entry ${shown} climbs out of the package folder with ".."`, name);
  const inside = parts.slice(1).join('/');
  return inside === '' ? parts.join('/') : inside;
}

function mb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB` : `${bytes} bytes`;
}
