/** Checks a package name before it reaches a URL, and escapes it for the registry as npm does. */

const MAX_NAME_LENGTH = 214;

/**
 * The characters encodeURIComponent leaves as they are. Tested directly rather than by encoding the
 * name and comparing: encodeURIComponent throws on a lone surrogate (`"node_modules/\ud800"` is
 * valid JSON), which would take the whole file's parse down with it (issue 7).
 */
const URL_SAFE = /^[A-Za-z0-9\-_.!~*'()]+$/;

/** Names npm refuses outright (validate-npm-package-name's blacklist). */
const RESERVED = new Set(['node_modules', 'favicon.ico']);

/**
 * Explains why `name` cannot be an npm package name, or returns undefined when it can.
 * Follows validate-npm-package-name's rules for names that existing packages may have (capitals and
 * `~'!()*` are allowed, since old packages use them), and additionally refuses `.`/`..` parts, so a
 * name can never walk a registry path.
 */
export function checkPackageName(name: string): string | undefined {
  if (name.length === 0) return 'the name is empty';
  if (name.length > MAX_NAME_LENGTH) return `the name is longer than ${MAX_NAME_LENGTH} characters`;
  if (name.trim() !== name) return 'the name has leading or trailing spaces';
  if (RESERVED.has(name.toLowerCase())) return `"${name}" is a reserved name`;
  const scoped = /^@([^/]*)\/([^/]*)$/.exec(name);
  if (name.startsWith('@') && scoped === null) return 'a scoped name must look like @scope/name';
  const parts = scoped === null ? [name] : [scoped[1] ?? '', scoped[2] ?? ''];
  for (const part of parts) {
    if (part.length === 0) return 'the scope or the name is empty';
    if (part.startsWith('.') || part.startsWith('_')) return 'a name cannot start with "." or "_"';
    // URL-safe characters only, as npm requires: this also rules out `/`, `%`, `\`, spaces and control characters.
    if (!URL_SAFE.test(part)) return 'the name contains characters that are not URL-safe';
  }
  return undefined;
}

/** True when `name` may be looked up in a registry (see `checkPackageName`). */
export function isValidPackageName(name: string): boolean {
  return checkPackageName(name) === undefined;
}

/** The name as it appears in a packument URL: `@scope/name` becomes `@scope%2fname`, like npm-package-arg's `escapedName`. */
export function escapePackageName(name: string): string {
  return name.replace('/', '%2f');
}

/** The `@scope` of a scoped name, or undefined. */
export function scopeOf(name: string): string | undefined {
  return name.startsWith('@') && name.includes('/') ? name.slice(0, name.indexOf('/')) : undefined;
}
