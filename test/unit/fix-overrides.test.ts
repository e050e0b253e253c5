import assert from 'node:assert/strict';
import { parseDocument } from 'yaml';
import { applyEdits, overrideMechanism } from '../../src/core/fix';

const MANIFEST = '{\n  "name": "app",\n  "dependencies": {\n    "a": "^1.0.0"\n  }\n}\n';

describe('overrideMechanism', () => {
  const pin = (manager: 'npm' | 'pnpm' | 'yarn' | 'bun', workspace?: string) => {
    const mechanism = overrideMechanism(manager, MANIFEST, workspace === undefined ? undefined : { text: workspace, yaml: { parseDocument } });
    const edits = mechanism.edits('evil-patch', '4.1.1');
    assert.ok(edits, `${manager}: edits planned`);
    return { file: mechanism.file, setting: mechanism.setting, text: applyEdits(workspace ?? MANIFEST, edits) };
  };

  it('pins with npm and Bun `overrides` in package.json', () => {
    for (const manager of ['npm', 'bun'] as const) {
      const { file, setting, text } = pin(manager);
      assert.deepStrictEqual([file, setting, (JSON.parse(text) as { overrides: unknown }).overrides], ['package.json', 'overrides', { 'evil-patch': '4.1.1' }]);
    }
  });

  it('pins with Yarn `resolutions` in package.json', () => {
    const { file, setting, text } = pin('yarn');
    assert.deepStrictEqual([file, setting, (JSON.parse(text) as { resolutions: unknown }).resolutions], ['package.json', 'resolutions', { 'evil-patch': '4.1.1' }]);
  });

  it('pins with pnpm `pnpm.overrides` in package.json when there is no pnpm-workspace.yaml', () => {
    const { file, setting, text } = pin('pnpm');
    assert.deepStrictEqual([file, setting, (JSON.parse(text) as { pnpm: unknown }).pnpm], ['package.json', 'pnpm.overrides', { overrides: { 'evil-patch': '4.1.1' } }]);
  });

  it('pins with pnpm `overrides` in pnpm-workspace.yaml, keeping its comments and other settings', () => {
    const workspace = "# settings\npackages:\n  - 'packages/*'\nminimumReleaseAge: 1440 # one day\n";
    const { file, setting, text } = pin('pnpm', workspace);
    assert.deepStrictEqual([file, setting], ['pnpm-workspace.yaml', 'pnpm-workspace.yaml overrides']);
    assert.equal(text, "# settings\npackages:\n  - 'packages/*'\nminimumReleaseAge: 1440 # one day\noverrides:\n  evil-patch: 4.1.1\n");
  });

  it('plans nothing for a pnpm-workspace.yaml with YAML errors (control: no broken rewrite)', () => {
    const mechanism = overrideMechanism('pnpm', MANIFEST, { text: 'packages: [\n', yaml: { parseDocument } });
    assert.equal(mechanism.edits('evil-patch', '4.1.1'), undefined);
  });
});
