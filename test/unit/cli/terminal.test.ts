/** Tests the colour decision order and the neutralising of control characters from package metadata. */

import * as assert from 'node:assert/strict';
import { neutralise, neutraliseLine, shouldUseColor } from '../../../src/cli/terminal';

describe('shouldUseColor', () => {
  const cases: [string, boolean | undefined, Record<string, string>, boolean, boolean][] = [
    ['--color wins over NO_COLOR', true, { NO_COLOR: '1' }, false, true],
    ['--no-color wins over FORCE_COLOR and a TTY', false, { FORCE_COLOR: '1' }, true, false],
    ['a non-empty NO_COLOR turns colour off on a TTY', undefined, { NO_COLOR: '1' }, true, false],
    ['an empty NO_COLOR is ignored', undefined, { NO_COLOR: '' }, true, true],
    ['NO_COLOR wins over FORCE_COLOR', undefined, { NO_COLOR: 'yes', FORCE_COLOR: '1' }, true, false],
    ['FORCE_COLOR turns colour on off a TTY', undefined, { FORCE_COLOR: '1' }, false, true],
    ['an empty FORCE_COLOR turns colour on', undefined, { FORCE_COLOR: '' }, false, true],
    ['FORCE_COLOR=0 turns colour off on a TTY', undefined, { FORCE_COLOR: '0' }, true, false],
    ['FORCE_COLOR=false turns colour off', undefined, { FORCE_COLOR: 'false' }, true, false],
    ['a TTY gets colour', undefined, { TERM: 'xterm-256color' }, true, true],
    ['a dumb terminal gets none', undefined, { TERM: 'dumb' }, true, false],
    ['a pipe gets none', undefined, {}, false, false],
  ];
  for (const [name, flag, env, isTTY, expected] of cases) {
    it(name, () => assert.equal(shouldUseColor(flag, env, isTTY), expected));
  }
});

describe('neutralise', () => {
  it('turns ANSI escapes, C0 and C1 controls and bidi overrides into visible escapes, keeping newlines', () => {
    assert.equal(
      neutralise('a\u001b[31mred\u001b[0m\tb\rc\u0000d\u0007e\u007ff\u009b2Jg\u0085h\u202ei\u2066j\nk'),
      'a\\x1b[31mred\\x1b[0m\\tb\\rc\\x00d\\x07e\\x7ff\\u009b2Jg\\u0085h\\u202ei\\u2066j\nk',
    );
  });

  it('leaves ordinary text, including non-ASCII letters and emoji, unchanged (control)', () => {
    const text = 'Ünïcödé — 日本語 🚀 "quotes" \\ backslash\nnext line';
    assert.equal(neutralise(text), text);
  });

  it('escapes newlines too for one-line fields', () => {
    assert.equal(neutraliseLine('name\nversion\u001b'), 'name\\nversion\\x1b');
  });
});
