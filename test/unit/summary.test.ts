import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildHistory } from '../../src/core/history';
import { summariseVersion } from '../../src/core/summary';

function fixture(name: string) {
  const built = buildHistory(name, JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'packuments', `${name}.json`), 'utf8')));
  if (!built.ok) throw new Error(built.message);
  return built.history;
}

describe('summariseVersion', () => {
  it('says when the install scripts took their present form, and whether they were added or changed', () => {
    const pick = (name: string, version: string) => {
      const s = summariseVersion(fixture(name), version);
      return [s.installScriptsSince, s.installScriptsChange];
    };
    assert.deepStrictEqual(pick('evil-patch', '4.1.2'), ['4.1.2', 'added']);
    assert.deepStrictEqual(pick('native-addon', '5.1.0'), ['5.1.0', 'changed']);
    assert.deepStrictEqual(pick('native-addon', '5.0.1'), ['5.0.0', 'added'], '5.0.1 runs what 5.0.0 ran (gypfile = node-gyp rebuild)');
    assert.deepStrictEqual(pick('safe-lib', '1.2.0'), [undefined, undefined]);
  });

  it('names the publisher and whether that account published before; unknown on mirror data', () => {
    const mallory = summariseVersion(fixture('new-publisher'), '2.1.1');
    assert.deepStrictEqual([mallory.publisher, mallory.publisherPublishedBefore], ['mallory', false]);
    const mirror = summariseVersion(fixture('mirror-style'), '1.1.0');
    assert.deepStrictEqual([mirror.publisher, mirror.publisherPublishedBefore, mirror.trust], [undefined, undefined, undefined]);
  });

  it('reports a removed version as not present, with its old publish time', () => {
    const removed = summariseVersion(fixture('removed-version'), '1.0.2');
    assert.equal(removed.present, false);
    assert.ok(removed.publishedAt);
  });
});
