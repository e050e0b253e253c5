/** Quick fixes on our diagnostics: pin a safe version, override a transitive one, approve or deny an install script, ignore a finding; each a WorkspaceEdit that undo reverts. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { expectDiagnostics, rangeIn, waitForDiagnostics, type SeenDiagnostic } from '../helpers/diagnostics';
import { addProject, changeAndRecheck, revert, type WorkspaceProject } from '../helpers/project';
import { startEditorRegistry, type EditorRegistry } from '../helpers/registry';
import { expectedManifestDiagnostics, RISKY_APP_FINDINGS, ruleDocsUrl } from '../helpers/risky-app';

describe('quick fixes', function () {
  this.timeout(30_000);
  let served: EditorRegistry;
  let project: WorkspaceProject;
  let texts: { manifest: string; lockfile: string; lockfilePath: string };

  before(async () => {
    await vscode.extensions.getExtension('dependency-risk.dependency-risk')!.activate();
    served = await startEditorRegistry();
    project = await addProject('risky-app', { as: 'quick-fix-app', registry: served.registry.url });
    texts = { manifest: await project.fixtureText('package.json'), lockfile: await project.fixtureText('package-lock.json'), lockfilePath: project.uri('package-lock.json').fsPath };
  });

  afterEach(async () => {
    await revert(await vscode.workspace.openTextDocument(project.uri('package.json')));
    await vscode.workspace.getConfiguration('dependencyRisk', project.uri('package.json')).update('ignore', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
  });

  after(async () => {
    await project?.remove();
    await served?.registry.close();
  });

  /** Opens package.json and waits until it shows every finding of the fixture. */
  async function openManifest(): Promise<vscode.TextEditor> {
    const editor = await project.open('package.json');
    await expectDiagnostics(project.uri('package.json'), expectedManifestDiagnostics(texts), 'the risky-app findings');
    return editor;
  }

  /** Our quick fixes on the version string of `dependency`, as VS Code's lightbulb asks for them. */
  async function fixesOn(dependency: string, spec: string): Promise<vscode.CodeAction[]> {
    const range = rangeIn(texts.manifest, spec, `"${dependency}"`);
    const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
      'vscode.executeCodeActionProvider',
      project.uri('package.json'),
      new vscode.Range(range[0], range[1], range[2], range[3]),
      vscode.CodeActionKind.QuickFix.value,
    );
    // Only we offer quick fixes on package.json here. The API command's result carries no `diagnostics`.
    return actions.filter((a): a is vscode.CodeAction => 'kind' in a && a.kind?.value === vscode.CodeActionKind.QuickFix.value);
  }

  const summary = (actions: vscode.CodeAction[]) => actions.map((a) => ({ title: a.title, preferred: a.isPreferred === true, does: a.edit ? 'edit' : a.command?.command }));

  it('offers "Pin lost-provenance to 3.1.1" as the preferred fix; it rewrites the version string, and undo restores it', async () => {
    const editor = await openManifest();
    const actions = await fixesOn('lost-provenance', '"^3.1.0"');
    assert.deepStrictEqual(summary(actions), [
      { title: 'Pin lost-provenance to 3.1.1 (published 65 days ago)', preferred: true, does: 'edit' },
      { title: 'Ignore fresh-release for lost-provenance@3.1.2', preferred: false, does: 'dependencyRisk.ignoreFinding' },
      { title: 'Ignore provenance-dropped for lost-provenance@3.1.2', preferred: false, does: 'dependencyRisk.ignoreFinding' },
    ]);
    assert.ok(await vscode.workspace.applyEdit(actions[0]!.edit!));
    assert.equal(editor.document.getText(), texts.manifest.replace('"lost-provenance": "^3.1.0"', '"lost-provenance": "3.1.1"'));
    await changeAndRecheck(editor.document.uri, async () => {
      await vscode.window.showTextDocument(editor.document);
      await vscode.commands.executeCommand('undo');
    });
    assert.equal(editor.document.getText(), texts.manifest);
  });

  it('offers an override for the transitive evil-patch on app-framework (and its install script to approve or deny); the override is appended to package.json', async () => {
    const editor = await openManifest();
    const actions = await fixesOn('app-framework', '"^3.0.0"');
    assert.deepStrictEqual(summary(actions), [
      { title: 'Add override pinning evil-patch to 4.1.1 (published 117 days ago)', preferred: true, does: 'edit' },
      { title: 'Approve install script of evil-patch@4.1.2 in allowScripts', preferred: false, does: 'edit' },
      { title: 'Deny install scripts of evil-patch in allowScripts', preferred: false, does: 'edit' },
      { title: 'Compare package contents of evil-patch@4.1.2', preferred: false, does: 'dependencyRisk.compareContents' },
      { title: 'Ignore install-script-added for evil-patch@4.1.2', preferred: false, does: 'dependencyRisk.ignoreFinding' },
      { title: 'Ignore fresh-release for evil-patch@4.1.2', preferred: false, does: 'dependencyRisk.ignoreFinding' },
    ]);
    assert.ok(await vscode.workspace.applyEdit(actions[0]!.edit!));
    assert.equal(
      editor.document.getText(),
      `{
  "name": "risky-app",
  "version": "1.0.0",
  "private": true,
  "dependencies": {
    "app-framework": "^3.0.0",
    "new-publisher": "^2.1.0",
    "lost-provenance": "^3.1.0",
    "old-deprecated": "1.0.0",
    "mirror-style": "^1.0.0",
    "local-tool": "file:./vendor/local-tool"
  },
  "devDependencies": {
    "native-addon": "^5.0.0",
    "safe-lib": "^1.0.0"
  },
  "overrides": {
    "evil-patch": "4.1.1"
  }
}
`,
    );
  });

  it('approves the changed install script of native-addon in allowScripts, after which it is reported as approved', async () => {
    const editor = await openManifest();
    const actions = await fixesOn('native-addon', '"^5.0.0"');
    assert.deepStrictEqual(summary(actions), [
      { title: 'Pin native-addon to 5.0.1 (published 218 days ago)', preferred: true, does: 'edit' },
      { title: 'Approve install script of native-addon@5.1.0 in allowScripts', preferred: false, does: 'edit' },
      { title: 'Deny install scripts of native-addon in allowScripts', preferred: false, does: 'edit' },
      { title: 'Compare package contents of native-addon@5.1.0', preferred: false, does: 'dependencyRisk.compareContents' },
      { title: 'Ignore install-script-changed for native-addon@5.1.0', preferred: false, does: 'dependencyRisk.ignoreFinding' },
    ]);
    assert.ok(await vscode.workspace.applyEdit(actions[1]!.edit!));
    const approved = texts.manifest.replace(/\n}\n$/, ',\n  "allowScripts": {\n    "native-addon@5.1.0": true\n  }\n}\n');
    assert.equal(editor.document.getText(), approved);
    const spec = rangeIn(approved, '"^5.0.0"', '"native-addon"');
    const [onNativeAddon] = await waitForDiagnostics(
      project.uri('package.json'),
      (seen) => seen.some((d) => isAt(d, spec) && d.severity === 'info'),
      'native-addon reported as approved',
    ).then((seen) => seen.filter((d) => isAt(d, spec)));
    assert.deepStrictEqual(onNativeAddon, {
      range: spec,
      severity: 'info',
      message: 'native-addon@5.1.0 changes the install script since 5.0.1, in a minor release. It is approved in allowScripts ("native-addon@5.1.0").',
      code: { value: 'install-script-changed', target: ruleDocsUrl('install-script-changed') },
      related: [{ file: texts.lockfilePath, range: rangeIn(texts.lockfile, '"node_modules/native-addon"'), message: 'native-addon@5.1.0 in package-lock.json' }],
    });
  });

  it('denies install scripts of native-addon by name in allowScripts', async () => {
    const editor = await openManifest();
    const deny = (await fixesOn('native-addon', '"^5.0.0"')).find((a) => a.title === 'Deny install scripts of native-addon in allowScripts');
    assert.ok(deny?.edit, 'no deny action');
    assert.ok(await vscode.workspace.applyEdit(deny.edit));
    assert.equal(editor.document.getText(), texts.manifest.replace(/\n}\n$/, ',\n  "allowScripts": {\n    "native-addon": false\n  }\n}\n'));
  });

  it('ignores one finding through the dependencyRisk.ignore setting, leaving the others', async () => {
    await openManifest();
    const ignore = (await fixesOn('lost-provenance', '"^3.1.0"')).find((a) => a.title === 'Ignore provenance-dropped for lost-provenance@3.1.2');
    assert.ok(ignore?.command, 'no ignore action');
    await vscode.commands.executeCommand(ignore.command.command, ...(ignore.command.arguments ?? []));
    assert.deepStrictEqual(vscode.workspace.getConfiguration('dependencyRisk', project.uri('package.json')).get('ignore'), ['provenance-dropped:lost-provenance@3.1.2']);
    const rest = RISKY_APP_FINDINGS.filter((f) => !(f.rule === 'provenance-dropped' && f.package === 'lost-provenance'));
    await expectDiagnostics(project.uri('package.json'), expectedManifestDiagnostics(texts, rest), 'every finding but the ignored one');
  });
});

function isAt(d: SeenDiagnostic, range: readonly number[]): boolean {
  return d.range.every((n, i) => n === range[i]);
}

