/** A one-line progress display on stderr: redrawn at most ten times a second, erased before the report. */

import { neutraliseLine } from './terminal';

export interface ProgressUpdate {
  readonly phase: string;
  readonly done: number;
  readonly total: number;
}

export interface Progress {
  readonly update: (progress: ProgressUpdate) => void;
  /** Erases the line and stops any pending redraw; safe to call more than once. */
  readonly clear: () => void;
}

export interface ProgressDeps {
  readonly write: (text: string) => void;
  /** Milliseconds, monotonic. */
  readonly clock: () => number;
  readonly setTimer: (callback: () => void, ms: number) => unknown;
  readonly clearTimer: (timer: unknown) => void;
  /** Terminal width; lines are cut to fit so that `\r` redraws the same line. */
  readonly columns?: number;
}

export const MIN_REDRAW_INTERVAL_MS = 100;

/** Whether to show progress: stderr is a terminal, not `TERM=dumb`, and `CI` is unset. */
export function shouldShowProgress(stderrIsTTY: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  return stderrIsTTY && env.CI === undefined && env.TERM !== 'dumb';
}

/** A progress line that does nothing: for pipes, CI and json runs alike when stderr is not a terminal. */
export const silentProgress: Progress = { update: () => undefined, clear: () => undefined };

/**
 * Draws `phase done/total` on one line. Updates closer than 100 ms to the last drawing are held
 * back, and the latest of them is drawn when the interval has passed, so the line is never stale.
 */
export function createProgress(deps: ProgressDeps): Progress {
  let lastDrawAt: number | undefined;
  let pending: ProgressUpdate | undefined;
  let timer: unknown;
  let drawn = false;
  let cleared = false;

  const draw = (progress: ProgressUpdate): void => {
    lastDrawAt = deps.clock();
    pending = undefined;
    drawn = true;
    deps.write(`\r${fit(describe(progress), deps.columns)}\u001b[K`);
  };

  const flush = (): void => {
    timer = undefined;
    if (pending !== undefined && !cleared) draw(pending);
  };

  return {
    update(progress) {
      if (cleared) return;
      const elapsed = lastDrawAt === undefined ? Infinity : deps.clock() - lastDrawAt;
      if (elapsed >= MIN_REDRAW_INTERVAL_MS) {
        draw(progress);
        return;
      }
      pending = progress;
      if (timer === undefined) timer = deps.setTimer(flush, MIN_REDRAW_INTERVAL_MS - elapsed);
    },
    clear() {
      if (timer !== undefined) deps.clearTimer(timer);
      timer = undefined;
      pending = undefined;
      cleared = true;
      if (drawn) deps.write('\r\u001b[K');
      drawn = false;
    },
  };
}

function describe({ phase, done, total }: ProgressUpdate): string {
  const counts = total > 0 ? ` ${Math.min(done, total)}/${total}` : '';
  const bar = total > 0 ? ` ${renderBar(done / total, 20)}` : '';
  return `Dependency Risk: ${neutraliseLine(phase)}${counts}${bar}`;
}

function renderBar(fraction: number, width: number): string {
  const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

/**
 * Cuts to one column less than the width, since writing into the last column makes some terminals
 * wrap; an unknown width (undefined, or 0 on a pseudo-terminal without a size) counts as 80.
 */
function fit(text: string, columns: number | undefined): string {
  const width = columns !== undefined && columns > 0 ? columns : 80;
  const max = Math.max(10, width - 1);
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
