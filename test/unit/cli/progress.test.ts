/** Tests the progress line: when it shows, the ten-per-second redraw limit, the trailing redraw, and erasing. */

import * as assert from 'node:assert/strict';
import { createProgress, shouldShowProgress, type Progress } from '../../../src/cli/progress';

interface Harness {
  readonly progress: Progress;
  readonly writes: string[];
  /** The fake clock's time at each write. */
  readonly times: number[];
  advance(ms: number): void;
}

/** A progress line on a fake clock whose timers fire when `advance` passes them. */
function harness(columns?: number): Harness {
  let now = 0;
  let timers: { at: number; callback: () => void; id: number }[] = [];
  let nextId = 0;
  const writes: string[] = [];
  const times: number[] = [];
  const progress = createProgress({
    write: (text) => {
      writes.push(text);
      times.push(now);
    },
    clock: () => now,
    setTimer: (callback, ms) => {
      timers.push({ at: now + ms, callback, id: ++nextId });
      return nextId;
    },
    clearTimer: (id) => {
      timers = timers.filter((timer) => timer.id !== id);
    },
    columns,
  });
  return {
    progress,
    writes,
    times,
    advance(ms) {
      now += ms;
      const due = timers.filter((timer) => timer.at <= now);
      timers = timers.filter((timer) => timer.at > now);
      for (const timer of due) timer.callback();
    },
  };
}

const line = (text: string): string => `\r${text}\u001b[K`;

describe('progress', () => {
  it('draws the first update at once on one line, with counts and a bar', () => {
    const { progress, writes } = harness();
    progress.update({ phase: 'fetching', done: 5, total: 20 });
    assert.deepEqual(writes, [line('Dependency Risk: fetching 5/20 [#####---------------]')]);
  });

  it('holds back updates within 100 ms and draws the latest one when the interval has passed', () => {
    const { progress, writes, advance } = harness();
    progress.update({ phase: 'fetching', done: 1, total: 4 });
    advance(30);
    progress.update({ phase: 'fetching', done: 2, total: 4 });
    advance(30);
    progress.update({ phase: 'fetching', done: 3, total: 4 });
    assert.equal(writes.length, 1);
    advance(40);
    assert.deepEqual(writes, [
      line('Dependency Risk: fetching 1/4 [#####---------------]'),
      line('Dependency Risk: fetching 3/4 [###############-----]'),
    ]);
  });

  it('redraws at most ten times a second however often the engine reports', () => {
    const { progress, times, advance } = harness();
    for (let i = 0; i < 999; i++) {
      progress.update({ phase: 'rules', done: i, total: 1000 });
      advance(1);
    }
    assert.deepEqual(times, [0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
  });

  it('erases the line and cancels a pending redraw on clear, and ignores later updates', () => {
    const { progress, writes, advance } = harness();
    progress.update({ phase: 'fetching', done: 1, total: 2 });
    progress.update({ phase: 'fetching', done: 2, total: 2 });
    progress.clear();
    advance(500);
    progress.update({ phase: 'late', done: 0, total: 0 });
    progress.clear();
    assert.deepEqual(writes, [line('Dependency Risk: fetching 1/2 [##########----------]'), '\r\u001b[K']);
  });

  it('writes nothing on clear when nothing was drawn (control)', () => {
    const { progress, writes } = harness();
    progress.clear();
    assert.deepEqual(writes, []);
  });

  it('cuts the line to the terminal width and neutralises the phase text', () => {
    const { progress, writes } = harness(30);
    progress.update({ phase: 'reading \u001b[2J a very long phase name', done: 0, total: 0 });
    assert.deepEqual(writes, [line('Dependency Risk: reading \\x1…')]);
  });

  it('takes an unknown terminal width (0 on a pseudo-terminal without a size) as 80 columns', () => {
    const { progress, writes } = harness(0);
    progress.update({ phase: 'x'.repeat(100), done: 0, total: 0 });
    assert.deepEqual(writes, [line(`Dependency Risk: ${'x'.repeat(61)}…`)]);
  });

  it('shows only on a terminal stderr with CI unset and a capable TERM', () => {
    assert.deepEqual(
      [
        shouldShowProgress(true, {}),
        shouldShowProgress(false, {}),
        shouldShowProgress(true, { CI: 'true' }),
        shouldShowProgress(true, { CI: '' }),
        shouldShowProgress(true, { TERM: 'dumb' }),
      ],
      [true, false, false, false, false],
    );
  });
});
