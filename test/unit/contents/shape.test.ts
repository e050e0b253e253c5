import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { measureShape } from '../../../src/core/contents/shape';
import { FIXTURES } from './support/pack';

describe('contents/shape', () => {
  it('hand-written code is plain', () => {
    const shape = measureShape(readFileSync(join(FIXTURES, 'chalk-shape', '1.2.0', 'index.js'), 'utf8'));
    assert.deepStrictEqual([shape.shape, shape.reasons, shape.hexIdentifiers], ['plain', [], 0]);
  });

  it('the chalk/debug-shaped payload is obfuscated, located at its first line', () => {
    const shape = measureShape(readFileSync(join(FIXTURES, 'chalk-shape', '1.2.1', 'index.js'), 'utf8'));
    assert.deepStrictEqual([shape.shape, shape.reasons, shape.firstSuspiciousLine, shape.stringArrayRotation], [
      'obfuscated',
      ['102 _0x-style identifiers', 'a string-array rotation loop', 'a 2,845-character line (line 17)'],
      17,
      true,
    ]);
  });

  it('a minified library is minified, not obfuscated', () => {
    const shape = measureShape(readFileSync(join(FIXTURES, 'minified-dist', '4.0.1', 'dist', 'charts.min.js'), 'utf8'));
    assert.deepStrictEqual([shape.shape, shape.hexIdentifiers, shape.stringArrayRotation], ['minified', 0, false]);
  });

  it('a few _0x names (hex constants in hand-written code) stay below the threshold (near miss)', () => {
    const text = Array.from({ length: 19 }, (_, i) => `const _0x${(0x1000 + i).toString(16)} = ${i};`).join('\n');
    assert.deepStrictEqual([measureShape(text).shape, measureShape(`${text}\nconst _0xffff = 1;`).shape], ['plain', 'obfuscated']);
  });

  it('a long base64 string alone (an embedded asset in ordinary code) is not obfuscation', () => {
    const text = `module.exports = "${Buffer.alloc(6000, 7).toString('base64')}";\n`;
    assert.equal(measureShape(text).shape, 'minified');
  });
});
