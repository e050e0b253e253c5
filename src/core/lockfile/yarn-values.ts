/** Reads Yarn Berry setting values as Yarn does: `${VAR}` expansion, durations and booleans. */

export type Env = Readonly<Record<string, string | undefined>>;

/** A value read, or why Yarn would refuse it (Yarn stops with an error on each of these). */
export type Read<T> = { readonly value: T } | { readonly problem: string };

const SUBSTITUTION = /\\(?<escaped>[\\$}])|\$\{(?<variable>[a-zA-Z]\w*)(?<operator>:-|-|(?=\}))|(?<unknown>\$\{)|\}/g;

/**
 * Expands `${VAR}`, `${VAR:-default}` (default when unset or empty), `${VAR-default}` (default when
 * unset) and the escapes `\$`, `\}`, `\\`, with nested defaults, as Yarn's replaceEnvVariables does
 * (@yarnpkg/core, miscUtils). A missing `${VAR}` without a default is a problem, as it is for Yarn.
 */
export function expandEnv(text: string, env: Env): Read<string> {
  const matches = text.matchAll(SUBSTITUTION);
  let result = '';
  let last = 0;
  let depth = 0;
  // Skips a default whose variable was set: up to the `}` that closes it, nested substitutions included.
  const skipDefault = (): number => {
    const start = depth;
    for (let next = matches.next(); !next.done; next = matches.next()) {
      const match = next.value;
      if (match.groups?.variable) depth++;
      else if (match[0] === '}' && --depth < start) return match.index + 1;
    }
    return text.length;
  };
  for (let next = matches.next(); !next.done; next = matches.next()) {
    const match = next.value;
    const { escaped, variable, operator, unknown } = match.groups ?? {};
    result += text.slice(last, match.index);
    last = match.index + match[0].length;
    if (escaped) result += escaped;
    else if (variable) {
      const value = Object.hasOwn(env, variable) ? env[variable] : undefined;
      depth++;
      const use = operator === ':-' ? value !== undefined && value !== '' : value !== undefined;
      if (use) {
        result += value;
        last = skipDefault();
      } else if (operator === '') return { problem: `environment variable ${variable} is not set` };
    } else if (match[0] === '}') {
      if (depth === 0) result += '}';
      else depth--;
    } else if (unknown) return { problem: `"\${" does not start a valid \${VAR} substitution` };
  }
  if (depth > 0) return { problem: 'a ${VAR:-default} substitution is not closed' };
  return { value: result + text.slice(last) };
}

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION = /^(?<num>\d*\.?\d+)(?<unit>ms|s|m|h|d|w)?$/;

/** A Yarn DURATION setting in milliseconds: a number with a unit, or a bare number in the setting's unit. */
export function parseDuration(text: string, defaultUnit: keyof typeof UNITS): Read<number> {
  const match = DURATION.exec(text);
  if (!match?.groups) return { problem: `"${text}" is not a duration (a number, optionally followed by ms, s, m, h, d or w)` };
  return { value: Number(match.groups.num) * UNITS[match.groups.unit ?? defaultUnit] };
}

/** A Yarn BOOLEAN setting: `true`/`false` or `1`/`0`, as Yarn parses them. */
export function parseBoolean(text: string): Read<boolean> {
  if (text === 'true' || text === '1') return { value: true };
  if (text === 'false' || text === '0') return { value: false };
  return { problem: `"${text}" is not a boolean (true, false, 1 or 0)` };
}
