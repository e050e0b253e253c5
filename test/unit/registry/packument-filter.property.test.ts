/** PackumentFilter against JSON.parse on random, edited and mutated packuments cut into random chunks (issue 7). */

import assert from 'node:assert/strict';
import { buildHistory } from '../../../src/core/history';
import { PackumentFilter, type FilterResult } from '../../../src/core/registry/packument-filter';
import { applyJsonEdits, assertNoPollution, check, fc, fixtureTexts, hostileJson, jsonEdit, mutated, prototypeSnapshot, timed } from '../../support/property';

const texts = [...fixtureTexts('packuments', (f) => f.endsWith('.json')), ...fixtureTexts('registry-client', (f) => f.endsWith('.json'))].map((f) => f.text);

/** Packument text as a registry might send it: real, edited (hostile keys and values, any indentation), cut or garbled. */
const packumentText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...texts), fc.array(jsonEdit, { minLength: 1, maxLength: 8 }), fc.constantFrom(0, 1, 2, '\t')).map(([text, edits, indent]) => JSON.stringify(applyJsonEdits(JSON.parse(text), edits), null, indent)) },
  { weight: 3, arbitrary: mutated(fc.constantFrom(...texts), 4) },
  { weight: 1, arbitrary: fc.constantFrom(...texts) },
  { weight: 1, arbitrary: hostileJson.map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
);

/** Feeds the bytes in pieces cut at the given points (mid-key, mid-escape and mid-UTF-8 sequence included). */
function filter(bytes: Buffer, cuts: readonly number[]): FilterResult {
  const f = new PackumentFilter();
  const points = [...new Set(cuts.map((c) => (bytes.length === 0 ? 0 : c % bytes.length)))].sort((a, b) => a - b);
  let from = 0;
  for (const point of points) {
    f.write(bytes.subarray(from, point));
    from = point;
  }
  f.write(bytes.subarray(from));
  return f.end();
}

function parse(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false }; // not JSON: the filter may still pass it through for JSON.parse to refuse
  }
}

describe('PackumentFilter: property tests (issue 7)', () => {
  const before = prototypeSnapshot();
  after(() => assertNoPollution(before));

  it('never throws, gives the same answer however the bytes are cut, and never grows the document', () => {
    check(
      fc.property(packumentText, fc.array(fc.nat(), { maxLength: 12 }), (text, cuts) => {
        const bytes = Buffer.from(text, 'utf8');
        const whole = timed('PackumentFilter', () => filter(bytes, []));
        assert.deepStrictEqual(filter(bytes, cuts), whole, 'chunking changed the result');
        if (whole.ok) assert.ok(Buffer.byteLength(whole.text) <= bytes.length, 'the filtered document is larger');
      }),
      300,
    );
  });

  it('keeps everything buildHistory reads: the history of the filtered text equals that of the whole document', () => {
    check(
      fc.property(packumentText, fc.array(fc.nat(), { maxLength: 6 }), (text, cuts) => {
        // What arrives is bytes: a lone surrogate in the text was already U+FFFD on the wire.
        const bytes = Buffer.from(text, 'utf8');
        const original = parse(bytes.toString('utf8'));
        if (!original.ok || original.value === null || typeof original.value !== 'object' || Array.isArray(original.value)) return;
        const result = timed('PackumentFilter', () => filter(bytes, cuts));
        assert.ok(result.ok, `a JSON object was refused: ${result.ok ? '' : result.message}`);
        const filtered = parse(result.text);
        assert.ok(filtered.ok, 'the filter wrote invalid JSON for a valid document');
        const name = (original.value as { name?: unknown }).name;
        const key = typeof name === 'string' ? name : 'p';
        assert.deepStrictEqual(buildHistory(key, filtered.value), buildHistory(key, original.value));
      }),
      300,
    );
  });
});
