import assert from 'node:assert/strict';
import { applyEdits } from '../../src/core/fix';
import { scriptDecisions } from '../../src/core/script-approval';
import type { LockfileFormat } from '../../src/core/types';

const MANIFEST = '{\n  "name": "app",\n  "dependencies": {\n    "esbuild": "^0.25.0"\n  }\n}\n';

function outcomes(format: LockfileFormat | undefined, text = MANIFEST, options = {}) {
  return scriptDecisions(format, text, 'esbuild', '0.25.0', options).map((d) => [d.title, JSON.parse(applyEdits(text, d.edits)) as Record<string, unknown>]);
}

describe('scriptDecisions', () => {
  it("npm: approves the reviewed version and denies by name in allowScripts (npm install-scripts' own shape)", () => {
    assert.deepStrictEqual(outcomes('npm').map(([title, json]) => [title, (json as { allowScripts: unknown }).allowScripts]), [
      ['Approve install script of esbuild@0.25.0 in allowScripts', { 'esbuild@0.25.0': true }],
      ['Deny install scripts of esbuild in allowScripts', { esbuild: false }],
    ]);
  });

  it('Yarn Berry: dependenciesMeta built true or false; Yarn classic has no such setting', () => {
    assert.deepStrictEqual(outcomes('yarn-berry').map(([, json]) => (json as { dependenciesMeta: unknown }).dependenciesMeta), [
      { esbuild: { built: true } },
      { esbuild: { built: false } },
    ]);
    assert.deepStrictEqual(outcomes('yarn-classic'), []);
  });

  it('Bun: trusts by adding to trustedDependencies, and a trusted package is untrusted by removing it', () => {
    assert.deepStrictEqual(outcomes('bun').map(([title, json]) => [title, (json as { trustedDependencies: unknown }).trustedDependencies]), [
      ["Trust esbuild's install scripts (trustedDependencies)", ['esbuild']],
    ]);
    const trusted = MANIFEST.replace('"name": "app",', '"name": "app",\n  "trustedDependencies": ["sharp", "esbuild"],');
    assert.deepStrictEqual(outcomes('bun', trusted).map(([title, json]) => [title, (json as { trustedDependencies: unknown }).trustedDependencies]), [
      ["Stop trusting esbuild's install scripts (trustedDependencies)", ['sharp']],
    ]);
  });

  it('pnpm: package.json pnpm fields, and nothing when pnpm-workspace.yaml holds the settings (control)', () => {
    assert.deepStrictEqual(outcomes('pnpm').map(([, json]) => (json as { pnpm: unknown }).pnpm), [{ onlyBuiltDependencies: ['esbuild'] }, { ignoredBuiltDependencies: ['esbuild'] }]);
    assert.deepStrictEqual(outcomes('pnpm', MANIFEST, { hasPnpmWorkspace: true }), []);
  });

  it('plans nothing for a package.json with syntax errors', () => {
    assert.deepStrictEqual(scriptDecisions('npm', '{"dependencies": {', 'esbuild', '0.25.0'), []);
  });
});
