/** Typing into package.json does not send a request per keystroke: the registry is asked once edits settle, for the finished name. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { expectDiagnostics, rangeIn } from '../helpers/diagnostics';
import { addProject, revert, type WorkspaceProject } from '../helpers/project';
import { startEditorRegistry, type EditorRegistry } from '../helpers/registry';
import { RISKY_APP_FINDINGS, ruleDocsUrl } from '../helpers/risky-app';

describe('typing into package.json', function () {
  this.timeout(30_000);
  let served: EditorRegistry;
  let project: WorkspaceProject;
  let manifest: string;

  // A registry and a project of its own: nothing this test types may be cached by another test.
  beforeEach(async () => {
    await vscode.extensions.getExtension('dependency-risk.dependency-risk')!.activate();
    served = await startEditorRegistry();
    project = await addProject('clean-app', { as: 'typing-app', registry: served.registry.url });
    manifest = await project.fixtureText('package.json');
  });

  afterEach(async () => {
    await revert(await vscode.workspace.openTextDocument(project.uri('package.json')));
    await project?.remove();
    await served?.registry.close();
  });

  it('typing a dependency name key by key asks the registry once, for the finished name only', async () => {
    const editor = await project.open('package.json');
    assert.equal(await vscode.commands.executeCommand<number>('dependencyRisk.auditFile'), 0);
    await served.registry.settled();
    assert.deepStrictEqual([...new Set(served.registry.requests.map((r) => `${r.name} ${r.status}`))], ['safe-lib 200'], 'the audit before typing');
    served.registry.resetStats();
    // A snippet-like insertion gives an empty key; then each keystroke makes a valid package name ("e", "ev", …).
    const at = manifest.indexOf('"safe-lib"');
    assert.ok(await editor.edit((b) => b.insert(editor.document.positionAt(at), '"": "4.1.2",\n    ')));
    let cursor = editor.document.positionAt(at + 1);
    for (const key of 'evil-patch') {
      assert.ok(await editor.edit((b) => b.insert(cursor, key)));
      cursor = cursor.translate(0, 1);
    }
    const text = editor.document.getText();
    const expected = RISKY_APP_FINDINGS.filter((f) => f.package === 'evil-patch')
      .map((f) => ({ range: rangeIn(text, '"4.1.2"'), severity: f.severity, message: f.message, code: { value: f.rule, target: ruleDocsUrl(f.rule) } }))
      .sort((a, b) => a.code.value.localeCompare(b.code.value));
    await expectDiagnostics(project.uri('package.json'), expected, 'evil-patch findings after typing');
    await served.registry.settled();
    assert.deepStrictEqual(served.registry.requests.map((r) => `${r.name} ${r.status}`), ['evil-patch 200']);
  });
});
