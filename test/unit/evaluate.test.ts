import assert from 'node:assert/strict';
import { resolveRange } from '../../src/core/evaluate';
import { buildHistory } from '../../src/core/history';
import type { PackageHistory } from '../../src/core/types';

function history(): PackageHistory {
  const built = buildHistory('p', {
    name: 'p',
    'dist-tags': { latest: '1.1.0', next: '2.0.0-beta.0' },
    versions: { '1.0.0': {}, '1.1.0': {}, '2.0.0-beta.0': {} },
    time: { '1.0.0': '2025-01-01T00:00:00.000Z', '1.1.0': '2025-02-01T00:00:00.000Z', '2.0.0-beta.0': '2025-03-01T00:00:00.000Z' },
  });
  if (!built.ok) throw new Error(built.message);
  return built.history;
}

describe('resolveRange', () => {
  it('takes a dist-tag, else latest when it satisfies, else the highest match', () => {
    const h = history();
    assert.deepStrictEqual(
      ['next', 'latest', '^1.0.0', '~1.0.0', '^3'].map((range) => resolveRange(h, range)),
      ['2.0.0-beta.0', '1.1.0', '1.1.0', '1.0.0', undefined],
    );
  });

  it('never takes an Object.prototype member for a dist-tag (issue 7)', () => {
    const h = history();
    for (const range of ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__', 'isPrototypeOf']) {
      assert.equal(resolveRange(h, range), undefined, range);
    }
  });

  it('still takes a dist-tag literally named like one when the registry has it (control)', () => {
    const built = buildHistory('p', { name: 'p', 'dist-tags': { latest: '1.0.0', constructor: '1.0.0' }, versions: { '1.0.0': {} } });
    assert.ok(built.ok);
    assert.equal(resolveRange(built.history, 'constructor'), '1.0.0');
  });
});
