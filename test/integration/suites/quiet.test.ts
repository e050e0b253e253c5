/** A project with nothing risky shows nothing of ours; the same project with a risky dependency added is the control. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { expectDiagnostics, rangeIn, seenDiagnostics } from '../helpers/diagnostics';
import { addProject, revert, type WorkspaceProject } from '../helpers/project';
import { startEditorRegistry, type EditorRegistry } from '../helpers/registry';
import { RISKY_APP_FINDINGS, ruleDocsUrl } from '../helpers/risky-app';

describe('a clean project', function () {
  this.timeout(30_000);
  let served: EditorRegistry;
  let project: WorkspaceProject;
  let manifest: string;

  before(async () => {
    await vscode.extensions.getExtension('dependency-risk.dependency-risk')!.activate();
    served = await startEditorRegistry();
    project = await addProject('clean-app', { as: 'clean-app', registry: served.registry.url });
    manifest = await project.fixtureText('package.json');
  });

  afterEach(async () => revert(await vscode.workspace.openTextDocument(project.uri('package.json'))));

  after(async () => {
    await project?.remove();
    await served?.registry.close();
  });

  /** Opens package.json and audits it with the registry; resolves when that audit is done, with its number of findings. */
  async function openAndAudit(): Promise<vscode.TextEditor> {
    const editor = await project.open('package.json');
    const findings = await vscode.commands.executeCommand<number>('dependencyRisk.auditFile');
    assert.equal(findings, 0);
    return editor;
  }

  /** What evil-patch 4.1.2 declared in a project without a lockfile shows, on `"4.1.2"` in `text`. */
  const evilPatchOn = (text: string) =>
    RISKY_APP_FINDINGS.filter((f) => f.package === 'evil-patch')
      .map((f) => ({ range: rangeIn(text, '"4.1.2"'), severity: f.severity, message: f.message, code: { value: f.rule, target: ruleDocsUrl(f.rule) } }))
      .sort((a, b) => a.code.value.localeCompare(b.code.value));

  it('shows no diagnostics of ours once its audit against the registry has completed', async () => {
    await openAndAudit();
    assert.deepStrictEqual(seenDiagnostics(project.uri('package.json')), []);
    assert.ok(served.registry.requests.some((r) => r.name === 'safe-lib' && r.status === 200), 'the audit asked the registry about safe-lib');
  });

  it('control: the same project with evil-patch 4.1.2 declared shows its findings', async () => {
    const editor = await openAndAudit();
    const edit = new vscode.WorkspaceEdit();
    edit.insert(editor.document.uri, editor.document.positionAt(manifest.indexOf('"safe-lib"')), '"evil-patch": "4.1.2",\n    ');
    assert.ok(await vscode.workspace.applyEdit(edit));
    await expectDiagnostics(project.uri('package.json'), evilPatchOn(editor.document.getText()), 'evil-patch findings');
  });
});
