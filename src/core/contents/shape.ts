/** Measures the shape of a JavaScript text (line lengths, entropy, obfuscator fingerprints) and judges it plain, minified or obfuscated. */

import type { ShapeFacts } from './types';

/** A line this long is not hand-written: minifiers and packers emit them. */
export const MINIFIED_LINE = 1000;
/** javascript-obfuscator names everything `_0x…`; a handful can occur in hand-written code, dozens cannot. */
export const OBFUSCATED_HEX_IDENTIFIERS = 20;
/** A hex or base64 string literal this long hides a payload (or embeds data: counted, but not enough alone). */
export const LONG_ENCODED_STRING = 2000;
/** Packed payloads push character entropy above this; minified code stays around 5.2–5.4 bits. */
export const HIGH_ENTROPY = 5.7;

const HEX_IDENTIFIER = /\b_0x[0-9a-f]{3,}\b/gi;
// javascript-obfuscator's rotation: `arr['push'](arr['shift']())` (or with dots) inside a loop.
const ROTATION = /(?:\[\s*['"]push['"]\s*\]|\.push)\s*\(\s*[\w$]+\s*(?:\[\s*['"]shift['"]\s*\]|\.shift)\s*\(\s*\)\s*\)/;
const ENCODED_STRING = /(['"`])([A-Za-z0-9+/=_-]{200,})\1/g;

/**
 * Measures `text` and judges its shape. `obfuscated` needs an obfuscator's fingerprint (many `_0x`
 * identifiers, string-array rotation) or a long encoded string in high-entropy text; `minified`
 * only needs a very long line. Linear in the text's length.
 */
export function measureShape(text: string): ShapeFacts {
  let lines = 1;
  let longestLine = 0;
  let longestLineAt = 1;
  let lineStart = 0;
  const counts = new Map<number, number>();
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 10;
    if (c === 10) {
      const length = i - lineStart - (i > 0 && text.charCodeAt(i - 1) === 13 ? 1 : 0);
      if (length > longestLine) {
        longestLine = length;
        longestLineAt = lines;
      }
      if (i < text.length) lines++;
      lineStart = i + 1;
      continue;
    }
    if (c !== 32 && c !== 9 && c !== 13) counts.set(c, (counts.get(c) ?? 0) + 1);
  }
  const entropy = shannon(counts);

  let hexIdentifiers = 0;
  let firstHexAt: number | undefined;
  for (const match of text.matchAll(HEX_IDENTIFIER)) {
    hexIdentifiers++;
    firstHexAt ??= match.index;
  }
  const rotation = ROTATION.exec(text);
  let longestEncodedString = 0;
  for (const match of text.matchAll(ENCODED_STRING)) longestEncodedString = Math.max(longestEncodedString, match[2]?.length ?? 0);

  const reasons: string[] = [];
  let obfuscated = false;
  if (hexIdentifiers >= OBFUSCATED_HEX_IDENTIFIERS) {
    obfuscated = true;
    reasons.push(`${hexIdentifiers} _0x-style identifiers`);
  }
  if (rotation !== null) {
    obfuscated = true;
    reasons.push('a string-array rotation loop');
  }
  if (longestEncodedString >= LONG_ENCODED_STRING && entropy >= HIGH_ENTROPY) {
    obfuscated = true;
    reasons.push(`a ${longestEncodedString.toLocaleString('en-US')}-character encoded string`);
  }
  if (entropy >= HIGH_ENTROPY && text.length >= 10_000) reasons.push(`character entropy ${entropy.toFixed(2)} bits`);
  const minified = longestLine >= MINIFIED_LINE;
  if (minified) reasons.push(`a ${longestLine.toLocaleString('en-US')}-character line (line ${longestLineAt})`);

  const suspiciousOffset = Math.min(hexIdentifiers >= OBFUSCATED_HEX_IDENTIFIERS ? (firstHexAt ?? Infinity) : Infinity, rotation?.index ?? Infinity);
  const firstSuspiciousLine = Number.isFinite(suspiciousOffset) ? lineAt(text, suspiciousOffset) : undefined;
  const excerptOffset = Number.isFinite(suspiciousOffset) ? suspiciousOffset : minified ? offsetOfLine(text, longestLineAt) : undefined;
  const excerpt = excerptOffset === undefined ? undefined : excerptAt(text, excerptOffset, 80);
  return {
    shape: obfuscated ? 'obfuscated' : minified ? 'minified' : 'plain',
    lines,
    longestLine,
    longestLineAt,
    entropy: Math.round(entropy * 100) / 100,
    hexIdentifiers,
    longestEncodedString,
    stringArrayRotation: rotation !== null,
    reasons,
    ...(firstSuspiciousLine === undefined ? {} : { firstSuspiciousLine }),
    ...(excerpt === undefined ? {} : { excerpt }),
  };
}

function shannon(counts: Map<number, number>): number {
  let total = 0;
  for (const n of counts.values()) total += n;
  if (total === 0) return 0;
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / total;
    bits -= p * Math.log2(p);
  }
  return bits;
}

function offsetOfLine(text: string, line: number): number {
  let offset = 0;
  for (let n = 1; n < line; n++) offset = text.indexOf('\n', offset) + 1;
  return offset;
}

/** 1-based line of `offset`. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** One line of `text` around `offset`, cut to `max` characters, for evidence. */
export function excerptAt(text: string, offset: number, max = 120): string {
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const endAt = text.indexOf('\n', offset);
  const end = endAt === -1 ? text.length : endAt;
  const from = Math.max(start, Math.min(offset - Math.floor(max / 3), end - max));
  const cut = text.slice(from, Math.min(end, from + max)).replace(/\s+/g, ' ').trim();
  return `${from > start ? '…' : ''}${cut}${from + max < end ? '…' : ''}`;
}
