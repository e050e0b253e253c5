/** Makes untrusted text (package metadata, names from project files) inert for terminals and editor views. */

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
