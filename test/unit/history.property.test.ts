/** buildHistory on random and mutated packuments (issue 7): never throws, stays small, pollutes nothing, and what it returns survives the cache. */

import assert from 'node:assert/strict';
import { buildHistory, previousRelease, trustLevel } from '../../src/core/history';
import { CACHE_FORMAT_VERSION, type CacheEntry } from '../../src/core/registry/cache';
import { decodeCacheEntry, encodeCacheEntry } from '../../src/core/registry/cache-format';
import { rules } from '../../src/core/rules';
import { summariseVersion } from '../../src/core/summary';
import type { Policy } from '../../src/core/types';
import {
  applyJsonEdits,
  assertNoPollution,
  assertPlainData,
  check,
  fc,
  fixtureTexts,
  hostileJson,
  hostileString,
  jsonEdit,
  mutated,
  prototypeSnapshot,
  timed,
} from '../support/property';

const packuments = [...fixtureTexts('packuments', (f) => f.endsWith('.json')), ...fixtureTexts('registry-client', (f) => f.endsWith('.json'))].map(
  (f) => JSON.parse(f.text) as { name: string },
);

/** What the registry client would parse: a fixture with hostile edits, a fixture's text mutated (kept when still JSON), or anything. */
const packument: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...packuments), fc.array(jsonEdit, { minLength: 1, maxLength: 10 })).map(([doc, edits]) => applyJsonEdits(doc, edits)) },
  {
    weight: 2,
    arbitrary: mutated(fc.constantFrom(...packuments.map((p) => JSON.stringify(p))), 3).map((text) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        return text; // not JSON any more: the client reports that before buildHistory; here it is just a string
      }
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ name: fc.constant('p'), versions: fc.dictionary(fc.oneof(fc.constantFrom('1.0.0', '1.0.1', '2.0.0-rc.1'), hostileString), hostileJson, { maxKeys: 5 }), time: hostileJson, 'dist-tags': hostileJson }, { requiredKeys: [] }),
  },
  { weight: 1, arbitrary: hostileJson },
);

const POLICY: Policy = {
  minReleaseAgeDays: 7,
  minReleaseAgeExclude: [],
  allowScripts: {},
  severities: {},
  include: ['prod', 'dev', 'optional', 'peer'],
  ignore: [],
  origins: {},
};

function nameOf(doc: unknown): string {
  return doc !== null && typeof doc === 'object' && typeof (doc as { name?: unknown }).name === 'string' ? (doc as { name: string }).name : 'p';
}

describe('buildHistory: property tests (issue 7)', () => {
  const before = prototypeSnapshot();
  after(() => assertNoPollution(before));

  it('never throws on random and mutated packuments; its history is small plain data that the cache accepts back', () => {
    check(
      fc.property(packument, (doc) => {
        const name = nameOf(doc);
        const built = timed('buildHistory', () => buildHistory(name, doc));
        assertPlainData(built);
        if (!built.ok) {
          assert.ok(built.message.length > 0 && built.message.length < 400, built.message);
          return;
        }
        const history = built.history;
        const input = JSON.stringify(doc) ?? '';
        // A compact summary: bounded by the document (a version's facts are a few fields; cut texts carry a short suffix).
        assert.ok(JSON.stringify(history).length <= 20 * input.length + 2000, `${JSON.stringify(history).length} from ${input.length}`);
        for (const v of history.versions) {
          for (const text of [v.deprecated, ...Object.values(v.installScripts ?? {})]) assert.ok((text ?? '').length <= 4096 + 80);
          for (const short of [v.publisher, v.trustedPublisher, v.approver, ...(v.maintainers ?? [])]) assert.ok((short ?? '').length <= 256);
        }
        // The registry client stores exactly this; a history the cache refused would be refetched forever.
        const entry: CacheEntry = { formatVersion: CACHE_FORMAT_VERSION, name, registry: 'https://r.example/', fetchedAt: '2025-01-01T00:00:00.000Z', history };
        assert.deepStrictEqual(decodeCacheEntry(encodeCacheEntry(entry), name, CACHE_FORMAT_VERSION), entry, 'the cache reads the history back');
      }),
      300,
    );
  });

  it('feeds every rule and the hover summary for every version it lists, without a throw', () => {
    const now = new Date('2025-10-05T12:00:00.000Z');
    check(
      fc.property(packument, fc.oneof(hostileString, fc.constantFrom('1.0.0', '4.1.2', '2.0.0-beta.0')), (doc, extra) => {
        const built = buildHistory(nameOf(doc), doc);
        if (!built.ok) return;
        const versions = [...built.history.versions.map((v) => v.version), ...built.history.removed.map((r) => r.version), extra];
        timed('rules', () => {
          for (const version of versions) {
            for (const rule of rules) assertPlainData(rule.check({ history: built.history, version, range: extra, policy: POLICY, now }));
            assertPlainData(summariseVersion(built.history, version));
            previousRelease(built.history, version);
          }
          for (const facts of built.history.versions) trustLevel(facts);
        });
      }),
      150,
    );
  });
});
