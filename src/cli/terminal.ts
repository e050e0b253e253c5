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

export { neutralise, neutraliseLine } from '../core/neutralise';
