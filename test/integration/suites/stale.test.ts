/** Never publish stale work: an edit made while a command's audit is running wins over that audit's result. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { expectDiagnostics, seenDiagnostics } from '../helpers/diagnostics';
import { addProject, revert, type WorkspaceProject } from '../helpers/project';
import { startEditorRegistry, type EditorRegistry } from '../helpers/registry';
import { expectedManifestDiagnostics } from '../helpers/risky-app';

const RISKY_APP_PACKAGES = ['app-framework', 'evil-patch', 'lost-provenance', 'mirror-style', 'native-addon', 'new-publisher', 'old-deprecated', 'safe-lib'];

describe('an edit during a running audit', function () {
  this.timeout(40_000);
  let served: EditorRegistry;
  let project: WorkspaceProject;

  before(async () => {
    await vscode.extensions.getExtension('dependency-risk.dependency-risk')!.activate();
    served = await startEditorRegistry();
    project = await addProject('risky-app', { as: 'stale-app', registry: served.registry.url });
  });

  after(async () => {
    await revert(await vscode.workspace.openTextDocument(project.uri('package.json')));
    await project?.remove();
    await served?.registry.close();
  });

  it('keeps the diagnostics of the edited text when a slower Refresh finishes after the edit', async () => {
    const editor = await project.open('package.json');
    const lockfile = await project.fixtureText('package-lock.json');
    const expectedFor = (manifest: string) => expectedManifestDiagnostics({ manifest, lockfile, lockfilePath: project.uri('package-lock.json').fsPath });
    await expectDiagnostics(project.uri('package.json'), expectedFor(editor.document.getText()), 'the findings before the edit');

    // Refresh asks the registry again for every package; the registry takes 3 s to answer, so the
    // edit's own checks (from cached facts, then the 5-minute-fresh ones in memory) finish first.
    for (const name of RISKY_APP_PACKAGES) served.registry.setBehaviour(name, { delayMs: 3000, times: 1 });
    served.registry.resetStats();
    const refreshed = vscode.commands.executeCommand('dependencyRisk.refresh');
    await served.registry.received(1);
    // One line more at the top: every dependency moves down a line.
    const edit = new vscode.WorkspaceEdit();
    edit.insert(editor.document.uri, new vscode.Position(1, 0), '  "description": "edited while the audit ran",\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const edited = editor.document.getText();
    await expectDiagnostics(project.uri('package.json'), expectedFor(edited), 'the findings on the edited text');
    await refreshed;
    assert.deepStrictEqual(seenDiagnostics(project.uri('package.json')), expectedFor(edited), 'after the refresh, still the positions of the edited text');
  });
});
