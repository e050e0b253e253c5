import assert from 'node:assert/strict';
import { allowScriptsVerdict, type ScriptApproval } from '../../../../src/core/rules/support/allow-scripts';

describe('allowScriptsVerdict', () => {
  const cases: [string, Record<string, boolean>, string, string, ScriptApproval | undefined][] = [
    ['no entries', {}, 'esbuild', '0.25.0', undefined],
    ['name only', { esbuild: true }, 'esbuild', '0.25.0', { verdict: 'approved', key: 'esbuild' }],
    ['pinned version', { 'esbuild@0.25.0': true }, 'esbuild', '0.25.0', { verdict: 'approved', key: 'esbuild@0.25.0' }],
    ['pinned to another version', { 'esbuild@0.25.0': true }, 'esbuild', '0.25.1', undefined],
    ['range', { 'esbuild@^0.25.0': true }, 'esbuild', '0.25.9', { verdict: 'approved', key: 'esbuild@^0.25.0' }],
    ['range that excludes it', { 'esbuild@^0.24.0': true }, 'esbuild', '0.25.0', undefined],
    ['scoped name', { '@swc/core@1.7.0': true }, '@swc/core', '1.7.0', { verdict: 'approved', key: '@swc/core@1.7.0' }],
    ['a name that only starts the same', { esbuild: true, 'esbuild-wasm': false }, 'esbuild-wasm-x', '1.0.0', undefined],
    ['deny wins over a pinned approval', { 'sharp@0.33.0': true, sharp: false }, 'sharp', '0.33.0', { verdict: 'denied', key: 'sharp' }],
    ['a deny for another version does not apply', { 'sharp@0.32.0': false, sharp: true }, 'sharp', '0.33.0', { verdict: 'approved', key: 'sharp' }],
    ['an invalid spec matches nothing', { 'sharp@not a range!': true }, 'sharp', '0.33.0', undefined],
  ];
  for (const [name, entries, pkg, version, expected] of cases) {
    it(name, () => assert.deepStrictEqual(allowScriptsVerdict(entries, pkg, version), expected));
  }
});
