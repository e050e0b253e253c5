/** Terminal concerns shared by the CLI: the colour decision, a tiny ANSI palette, and neutralising hostile text. */

/** Environment variables, as `process.env` holds them. */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * Decides colour once, in this order: `--color`/`--no-color`, a non-empty `NO_COLOR`
 * (https://no-color.org), `FORCE_COLOR` (`0`/`false` turn colour off, any other value on),
 * then a TTY whose `TERM` is not `dumb`.
 */
export function shouldUseColor(flag: boolean | undefined, env: Env, isTTY: boolean): boolean {
  if (flag !== undefined) return flag;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR.toLowerCase() !== 'false';
  return isTTY && env.TERM !== 'dumb';
}

export interface Palette {
  readonly bold: (text: string) => string;
  readonly dim: (text: string) => string;
  readonly red: (text: string) => string;
  readonly yellow: (text: string) => string;
  readonly cyan: (text: string) => string;
  readonly green: (text: string) => string;
}

const plain = (text: string): string => text;

function sgr(open: number, close: number): (text: string) => string {
  return (text) => (text === '' ? '' : `\u001b[${open}m${text}\u001b[${close}m`);
}

/** ANSI styles when `enabled`, identity functions otherwise. */
export function createPalette(enabled: boolean): Palette {
  if (!enabled) return { bold: plain, dim: plain, red: plain, yellow: plain, cyan: plain, green: plain };
  return { bold: sgr(1, 22), dim: sgr(2, 22), red: sgr(31, 39), yellow: sgr(33, 39), cyan: sgr(36, 39), green: sgr(32, 39) };
}

// C0 controls except \n, DEL, C1 controls, and the bidirectional overrides/isolates of "Trojan Source"
// (CVE-2021-42574): any of them in a package's metadata could rewrite or hide what the terminal shows.
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { '\t': '\\t', '\r': '\\r', '\u001b': '\\x1b' };

/**
 * Makes text from package metadata safe to print: every control character except `\n`
 * (ANSI escapes included) becomes a visible escape such as `\x1b` or `\u009b`.
 */
export function neutralise(text: string): string {
  return text.replace(UNSAFE, (char) => NAMED[char] ?? escapeCodePoint(char.charCodeAt(0)));
}

/** Like `neutralise`, and `\n` too: for text that must stay on one line (names, versions, paths). */
export function neutraliseLine(text: string): string {
  return neutralise(text).replace(/\n/g, '\\n');
}

function escapeCodePoint(code: number): string {
  return code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}
