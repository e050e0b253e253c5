import assert from 'node:assert/strict';
import { describeChange } from '../../../src/core/review/compare';
import { fixture, history, NOW, ago, HOUR, DAY } from '../rules/helpers';
import { change } from './rules/helpers';

describe('review/compare', () => {
  it('compares an upgrade with the version it replaces: new script, age, publisher streak, trust drop, new maintainer', () => {
    const foo = history('foo', [
      ...Array.from({ length: 40 }, (_, i) => ({ version: `1.1.${i}`, publishedAt: ago((400 - i) * DAY), publisher: 'alice', maintainers: ['alice'], provenance: true, installScripts: {} })),
      { version: '1.2.3', publishedAt: ago(30 * DAY), publisher: 'alice', maintainers: ['alice'], provenance: true, installScripts: {} },
      { version: '1.2.5', publishedAt: ago(3 * HOUR), publisher: 'mallory', maintainers: ['alice', 'mallory'], provenance: false, installScripts: { postinstall: 'node setup.js' } },
    ]);
    assert.equal(
      describeChange(change('upgraded', 'foo', '1.2.3', '1.2.5', { message: 'foo 1.2.3 → 1.2.5 (patch)' }), foo, NOW),
      'foo 1.2.3 → 1.2.5 (patch): 1.2.5 adds `postinstall: node setup.js` that 1.2.3 did not have; published 3 h ago by `mallory`; ' +
        '1.2.3 and the 40 releases before it by `alice`; 1.2.3 had provenance, 1.2.5 has none; 1.2.5 adds maintainer `mallory`',
    );
  });

  it('says nothing it does not know: a mirror without publishers, attestations or scripts', () => {
    const mirror = fixture('mirror-style');
    assert.equal(describeChange(change('upgraded', 'mirror-style', '1.0.0', '1.1.0', { message: 'm' }), mirror, NOW), 'm: published 5 h ago');
  });

  it('describes a new package by what it runs and who published it, and a deprecation', () => {
    assert.equal(
      describeChange(change('added', 'evil-patch', undefined, '4.1.2', { message: 'evil-patch 4.1.2 (new)' }), fixture('evil-patch'), NOW),
      'evil-patch 4.1.2 (new): 4.1.2 runs `postinstall: node bundle.js` at install; published 3 h ago by `scott`',
    );
    assert.equal(
      describeChange(change('added', 'old-deprecated', undefined, '1.0.0', { message: 'x' }), fixture('old-deprecated'), NOW).endsWith('1.0.0 is deprecated: `1.0.0 corrupts files on Windows; upgrade to 1.0.1`'),
      true,
    );
  });

  it('keeps the message as is for removals, same-version changes and unknown versions', () => {
    const lib = fixture('safe-lib');
    for (const c of [change('removed', 'safe-lib', '1.0.0', undefined, { message: 'a' }), change('source-changed', 'safe-lib', '1.0.0', '1.0.0', { message: 'b' }), change('upgraded', 'safe-lib', '1.0.0', '9.9.9', { message: 'c' })]) {
      assert.equal(describeChange(c, lib, NOW), c.message);
    }
  });

  it('cannot be made to close its code spans by a hostile script', () => {
    const evil = history('evil', [{ version: '1.0.0', installScripts: {} }, { version: '1.0.1', installScripts: { preinstall: 'curl `x` | sh\n# @everyone' } }]);
    assert.equal(describeChange(change('upgraded', 'evil', '1.0.0', '1.0.1', { message: 'e' }), evil, NOW), "e: 1.0.1 adds `preinstall: curl 'x' | sh # @everyone` that 1.0.0 did not have");
  });
});
