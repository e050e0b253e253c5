/** A small tar writer for tests: crafts the archives `npm pack` never writes (links, traversal, duplicates, odd names, bombs). */

import { gzipSync } from 'node:zlib';

export interface TarEntrySpec {
  /** The name as bytes or text; `package/` is not added. */
  readonly name: string | Buffer;
  /** Tar type flag: '0' file (default), '2' symlink, '1' hard link, '5' folder, '3' character device, 'x' pax header, 'L' GNU long name. */
  readonly type?: string;
  readonly data?: Buffer | string;
  /** Size written in the header when it should differ from the data (a lying header). */
  readonly size?: number;
  readonly linkname?: string;
  readonly mode?: number;
}

function octal(value: number, length: number): string {
  return value.toString(8).padStart(length - 1, '0') + '\0';
}

function header(spec: TarEntrySpec, size: number): Buffer {
  const block = Buffer.alloc(512);
  const name = typeof spec.name === 'string' ? Buffer.from(spec.name, 'utf8') : spec.name;
  if (name.length > 100) {
    // ustar prefix/name split at a slash.
    const text = name.toString('latin1');
    const cut = text.lastIndexOf('/', 155);
    block.write(text.slice(cut + 1), 0, 100, 'latin1');
    block.write(text.slice(0, cut), 345, 155, 'latin1');
  } else {
    name.copy(block, 0);
  }
  block.write(octal(spec.mode ?? 0o644, 8), 100, 'latin1');
  block.write(octal(0, 8), 108, 'latin1');
  block.write(octal(0, 8), 116, 'latin1');
  block.write(octal(size, 12), 124, 'latin1');
  block.write(octal(0, 12), 136, 'latin1');
  block.write('        ', 148, 'latin1');
  block.write(spec.type ?? '0', 156, 'latin1');
  if (spec.linkname !== undefined) block.write(spec.linkname, 157, 100, 'utf8');
  block.write('ustar\0', 257, 'latin1');
  block.write('00', 263, 'latin1');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  return block;
}

/** A tar archive of `entries` (no gzip), ended by two zero blocks. */
export function writeTar(entries: readonly TarEntrySpec[]): Buffer {
  const parts: Buffer[] = [];
  for (const spec of entries) {
    const data = spec.data === undefined ? Buffer.alloc(0) : Buffer.isBuffer(spec.data) ? spec.data : Buffer.from(spec.data, 'utf8');
    parts.push(header(spec, spec.size ?? data.length), data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/** `writeTar` gzipped, as registries serve tarballs. */
export function writeTgz(entries: readonly TarEntrySpec[]): Buffer {
  return gzipSync(writeTar(entries));
}

/** A pax `x` header body with the given records. */
export function paxRecords(records: Readonly<Record<string, string>>): Buffer {
  const lines = Object.entries(records).map(([key, value]) => {
    const body = ` ${key}=${value}\n`;
    let length = Buffer.byteLength(body) + 1;
    while (String(length).length + Buffer.byteLength(body) !== length) length = String(length).length + Buffer.byteLength(body);
    return `${length}${body}`;
  });
  return Buffer.from(lines.join(''), 'utf8');
}

/** The minimal valid package: package.json and index.js under `package/`. */
export function packageEntries(name = 'hostile', version = '1.0.0'): TarEntrySpec[] {
  return [
    { name: 'package/package.json', data: JSON.stringify({ name, version, main: 'index.js' }) },
    { name: 'package/index.js', data: 'module.exports = 1;\n' },
  ];
}
