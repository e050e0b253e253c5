/** Reads one file of a (verified) package tarball as text, for showing it: with the tar reader's caps, binary files and over-size files as a note. */

import { binaryFormat, MAX_ANALYSE_BYTES } from './summarize';
import { DEFAULT_TAR_LIMITS, readTarball, type TarLimits } from './tar';

/** Files larger than this are not shown (the same cap as for analysing JavaScript). */
export const MAX_SHOWN_BYTES = MAX_ANALYSE_BYTES;
/** How far a file is searched for a NUL byte, the sign of a binary file. */
const NUL_SCAN_BYTES = 8 * 1024;

/**
 * `text`: the file's content (UTF-8, a BOM removed). `note`: one line saying why it is not shown:
 * `binary` (an executable format, a NUL byte or bytes that are not UTF-8), `too-large`, `missing`
 * (no such file in the package), or `refused` (the archive is one the tar reader refuses, with why).
 */
export type FileText =
  | { readonly kind: 'text'; readonly text: string; readonly size: number }
  | { readonly kind: 'note'; readonly reason: 'binary' | 'too-large' | 'missing' | 'refused'; readonly text: string };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Extracts `path` (relative to the package folder: `lib/index.js`) from `tgz` in memory. The whole
 * archive is read with the tar reader's caps and refusals (links, traversal, duplicates, bombs), so a
 * file is never shown from an archive inspection would not read; only that one file is kept, and only
 * when it is at most `maxBytes`. Never throws.
 */
export async function extractFileText(tgz: Buffer, path: string, options: { readonly limits?: TarLimits; readonly maxBytes?: number; readonly label?: string } = {}): Promise<FileText> {
  const maxBytes = options.maxBytes ?? MAX_SHOWN_BYTES;
  const label = options.label ?? path;
  const read = await readTarball(tgz, (name, size) => name === path && size <= maxBytes, options.limits ?? DEFAULT_TAR_LIMITS);
  if (!read.ok) return { kind: 'note', reason: 'refused', text: `(${label} is not shown: the package archive was not inspected: ${read.message}.)` };
  const file = read.files.find((f) => f.path === path);
  if (file === undefined) return { kind: 'note', reason: 'missing', text: `(${label} is not in this version.)` };
  const size = `${file.size.toLocaleString('en-US')} bytes`;
  if (file.data === undefined) return { kind: 'note', reason: 'too-large', text: `(${label} is not shown: ${size}, more than the ${Math.round(maxBytes / (1024 * 1024))} MB shown.)` };
  const format = binaryFormat(file.path, file.head);
  if (format !== undefined || file.data.subarray(0, NUL_SCAN_BYTES).includes(0)) {
    return { kind: 'note', reason: 'binary', text: `(${label} is a binary file${format === undefined ? '' : ` (${FORMAT_NAMES[format]})`}, ${size}; it is not shown.)` };
  }
  let text: string;
  try {
    text = utf8.decode(file.data);
  } catch {
    return { kind: 'note', reason: 'binary', text: `(${label} is not UTF-8 text, ${size}; it is not shown.)` };
  }
  return { kind: 'text', text: text.startsWith('\uFEFF') ? text.slice(1) : text, size: file.size };
}

const FORMAT_NAMES = { elf: 'ELF executable', pe: 'PE executable', 'mach-o': 'Mach-O executable', 'node-addon': 'Node.js native addon' } as const;
