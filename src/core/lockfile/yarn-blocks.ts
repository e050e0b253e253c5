/** Splits a yarn.lock's text into its top-level entries (key line plus indented body), keeping every offset. */

export interface Span {
  readonly offset: number;
  readonly length: number;
}

/** One top-level entry as written: both Yarn formats put keys at column 0 and indent everything else. */
export interface Block {
  /** The key as written before its colon, e.g. `"a@^1", "a@^2"` or `__metadata`. */
  readonly rawKey: string;
  /** Where `rawKey` is: the span every package and error of this entry points at. */
  readonly span: Span;
  /** False when the key line does not end with a colon: not an entry. */
  readonly isEntry: boolean;
  /** Offsets of the indented lines after the key line (blank lines included). */
  readonly bodyStart: number;
  readonly bodyEnd: number;
}

export interface Layout {
  readonly blocks: readonly Block[];
  /** Indented lines that follow no key line. */
  readonly stray: readonly Span[];
  /** The text's last line has no line break: Yarn always ends the file with one. */
  readonly endsMidLine: boolean;
}

/** A line without its line break, and where it starts. */
export interface Line {
  readonly text: string;
  readonly offset: number;
}

/** The lines of `text` from `start` to `end` (`\n`, `\r\n` or `\r` breaks), without their breaks. */
export function linesOf(text: string, start = 0, end = text.length): Line[] {
  const lines: Line[] = [];
  let offset = start;
  while (offset < end) {
    let stop = offset;
    while (stop < end && text.charCodeAt(stop) !== 10 && text.charCodeAt(stop) !== 13) stop++;
    lines.push({ text: text.slice(offset, stop), offset });
    if (stop < end && text.charCodeAt(stop) === 13 && text.charCodeAt(stop + 1) === 10) stop++;
    offset = stop + 1;
  }
  return lines;
}

export function scanBlocks(text: string): Layout {
  const blocks: Block[] = [];
  const stray: Span[] = [];
  let current: { rawKey: string; span: Span; isEntry: boolean; bodyStart: number; bodyEnd: number } | undefined;
  const close = (): void => {
    if (current) blocks.push(current);
    current = undefined;
  };
  // A byte-order mark is not part of the first line (js-yaml skips it too); offsets stay the original ones.
  for (const line of linesOf(text, text.charCodeAt(0) === 0xfeff ? 1 : 0)) {
    const first = line.text.charAt(0);
    const end = line.offset + line.text.length;
    if (line.text.trim() === '') continue;
    if (first === ' ' || first === '\t') {
      if (current) current.bodyEnd = end;
      else stray.push({ offset: line.offset, length: line.text.length });
      continue;
    }
    close();
    if (first === '#') continue;
    const trimmed = line.text.trimEnd();
    const isEntry = trimmed.endsWith(':');
    const rawKey = isEntry ? trimmed.slice(0, -1).trimEnd() : trimmed;
    const next = end + (text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? 2 : 1);
    current = { rawKey, span: { offset: line.offset, length: rawKey.length }, isEntry, bodyStart: Math.min(next, text.length), bodyEnd: Math.min(next, text.length) };
  }
  close();
  const last = text.charCodeAt(text.length - 1);
  return { blocks, stray, endsMidLine: text.length > 0 && last !== 10 && last !== 13 };
}

/**
 * The descriptors of a key: classic quotes each one (`"a@^1", "a@^2"`), Berry quotes the whole
 * comma-joined list (`"a@npm:^1, a@npm:^2"`); both are split on commas as Yarn does. Undefined when a
 * quoted part cannot be read.
 */
export function splitKey(rawKey: string): string[] | undefined {
  const parts: string[] = [];
  let start = 0;
  let quote = '';
  for (let i = 0; i <= rawKey.length; i++) {
    const c = rawKey.charAt(i);
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === ',' || i === rawKey.length) {
      parts.push(rawKey.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (quote) return undefined;
  const descriptors: string[] = [];
  for (const part of parts) {
    const value = unquote(part);
    if (value === undefined) return undefined;
    descriptors.push(...value.split(',').map((d) => d.trim()).filter((d) => d !== ''));
  }
  return descriptors;
}

/** A key for messages: its descriptors without the quotes, or the text as written when it cannot be split. */
export function displayKey(rawKey: string): string {
  return splitKey(rawKey)?.join(', ') ?? rawKey;
}

/** A double-quoted (JSON-style escapes), single-quoted (YAML `''`) or bare string's value. */
export function unquote(token: string): string | undefined {
  if (token.startsWith('"')) {
    if (token.length < 2 || !token.endsWith('"')) return undefined;
    try {
      const value: unknown = JSON.parse(token);
      return typeof value === 'string' ? value : undefined;
    } catch (error) {
      // Not JSON (a YAML-only escape such as `\x41`): keep the text between the quotes.
      void error;
      return token.slice(1, -1);
    }
  }
  if (token.startsWith("'")) return token.length >= 2 && token.endsWith("'") ? token.slice(1, -1).replace(/''/g, "'") : undefined;
  return token;
}
