/** Formats durations and lists for finding messages, the same way everywhere ("3 h ago", "7 days"). */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Milliseconds in one day. */
export const DAY_MS = DAY;

/**
 * A duration, rounded down so it never overstates an age: `45 min`, `3 h`, `2 days`.
 * Hours are used below two days, days from there on. Negative input counts as zero.
 */
export function formatDuration(ms: number): string {
  const value = Number.isFinite(ms) && ms > 0 ? ms : 0;
  if (value < MINUTE) return 'under 1 min';
  if (value < HOUR) return `${Math.floor(value / MINUTE)} min`;
  if (value < 2 * DAY) return `${Math.floor(value / HOUR)} h`;
  return `${Math.floor(value / DAY)} days`;
}

/** An age for a message: `3 h ago`; a time in the future (clock skew) reads `just now`. */
export function formatAge(ms: number): string {
  return ms < 0 ? 'just now' : `${formatDuration(ms)} ago`;
}

/** A policy length in days: `1 day`, `7 days`, `0.5 days`. */
export function formatDays(days: number): string {
  return days === 1 ? '1 day' : `${days} days`;
}

/** Hours with one decimal, rounded down, for evidence (`ageHours`). */
export function toHours(ms: number): number {
  return Math.floor((ms / HOUR) * 10) / 10;
}

/** Quotes registry text for a message, cut to `max` characters so a hostile string cannot flood the view. */
export function quote(text: string, max = 200): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine);
}

/** `a, b and c`; `none` for an empty list. */
export function formatList(items: readonly string[]): string {
  if (items.length === 0) return 'none';
  if (items.length === 1) return items[0] ?? '';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
}
