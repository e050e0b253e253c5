/** Opening a project with risky dependencies shows our squiggles: exact message, range, rule id, docs link, severity and lockfile link. */
import * as assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import * as vscode from 'vscode';
import { expectDiagnostics, rangeIn, seenDiagnostics, waitForDiagnostics } from '../helpers/diagnostics';
import { addProject, closeEditorsUnder, type WorkspaceProject } from '../helpers/project';
import { startEditorRegistry, type EditorRegistry } from '../helpers/registry';
import { expectedLockfileDiagnostics, expectedManifestDiagnostics } from '../helpers/risky-app';

describe('diagnostics on a risky project', function () {
  this.timeout(30_000);
  let served: EditorRegistry;
  let project: WorkspaceProject;
  let texts: { manifest: string; lockfile: string; lockfilePath: string };

  before(async () => {
    await vscode.extensions.getExtension('dependency-risk.dependency-risk')!.activate();
    served = await startEditorRegistry();
    project = await addProject('risky-app', { as: 'diagnostics-app', registry: served.registry.url });
    texts = { manifest: await project.fixtureText('package.json'), lockfile: await project.fixtureText('package-lock.json'), lockfilePath: project.uri('package-lock.json').fsPath };
  });

  after(async () => {
    await project?.remove();
    await served?.registry.close();
  });

  /** Opens package.json and waits for the audit's diagnostics (each test on its own: the order never matters). */
  const openManifest = async () => {
    await project.open('package.json');
    await expectDiagnostics(project.uri('package.json'), expectedManifestDiagnostics(texts), 'the risky-app findings');
  };

  it('shows each finding on the version string of the dependency that brings the package in', openManifest);

  it('shows the transitive evil-patch findings on app-framework, linked to its lockfile entry', async () => {
    await openManifest();
    const appFramework = rangeIn(texts.manifest, '"^3.0.0"', '"app-framework"');
    const onAppFramework = seenDiagnostics(project.uri('package.json')).filter((d) => isDeepStrictEqual(d.range, appFramework));
    assert.deepStrictEqual(onAppFramework, expectedManifestDiagnostics(texts).filter((d) => d.message.startsWith('brings in evil-patch 4.1.2 (via app-framework > evil-patch): ')));
    assert.deepStrictEqual(
      onAppFramework.map((d) => [d.code?.value, d.severity, d.related]),
      [
        ['fresh-release', 'warning', [{ file: texts.lockfilePath, range: rangeIn(texts.lockfile, '"node_modules/evil-patch"'), message: 'evil-patch@4.1.2 in package-lock.json' }]],
        ['install-script-added', 'error', [{ file: texts.lockfilePath, range: rangeIn(texts.lockfile, '"node_modules/evil-patch"'), message: 'evil-patch@4.1.2 in package-lock.json' }]],
      ],
    );
  });

  it('shows findings on the lockfile entries only while the lockfile is open in an editor', async () => {
    const lockUri = project.uri('package-lock.json');
    await openManifest();
    assert.deepStrictEqual(seenDiagnostics(lockUri), [], 'a lockfile that is not open carries no squiggles');
    // Opened as a user opens it (an editor, not an extension's document reference), so closing the tab closes the document.
    await vscode.commands.executeCommand('vscode.open', lockUri);
    await expectDiagnostics(lockUri, expectedLockfileDiagnostics(texts.lockfile), 'the findings on the open lockfile');
    assert.deepStrictEqual(seenDiagnostics(project.uri('package.json')), expectedManifestDiagnostics(texts), 'package.json keeps its own diagnostics, none doubled');
    await closeEditorsUnder(project.dir, (uri) => uri.fsPath === lockUri.fsPath);
    await waitForDiagnostics(lockUri, (seen) => seen.length === 0, 'the lockfile cleared once its editor closed');
  });
});
