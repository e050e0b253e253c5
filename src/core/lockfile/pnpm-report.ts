/** Collects the errors of one pnpm file, with exact locations and a cap on how many are listed. */


export const REGENERATE = 'regenerate it with `pnpm install --lockfile-only`';

export { createReporter, type Reporter } from './reporter';

/** `1 package`, `3 packages`. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** Characters that could hide or reorder text in a message, escaped; long messages shortened. */
export function plain(message: string): string {
  const escaped = message.replace(/[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (escaped.length <= 160) return escaped;
  // Cut before a lone high surrogate, so the message stays well-formed text.
  return `${escaped.slice(0, /[\ud800-\udbff]/.test(escaped.charAt(159)) ? 159 : 160)}…`;
}
