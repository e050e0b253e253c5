/** The "Audit Workspace" command audits every project in the workspace, including files nobody opened, and reports counts by rule. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { expectDiagnostics, seenDiagnostics } from '../helpers/diagnostics';
import { addProject, type WorkspaceProject } from '../helpers/project';
import { startEditorRegistry, type EditorRegistry } from '../helpers/registry';
import { expectedManifestDiagnostics } from '../helpers/risky-app';

/** Every registry package of risky-app: its direct dependencies and what app-framework brings in. */
const RISKY_APP_PACKAGES = ['app-framework', 'evil-patch', 'lost-provenance', 'mirror-style', 'native-addon', 'new-publisher', 'old-deprecated', 'safe-lib'];

describe('Audit Workspace command', function () {
  this.timeout(60_000);
  let served: EditorRegistry;
  let project: WorkspaceProject;

  before(async () => {
    await vscode.extensions.getExtension('dependency-risk.dependency-risk')!.activate();
    served = await startEditorRegistry();
    project = await addProject('risky-app', { as: 'audit-app', registry: served.registry.url });
  });

  after(async () => {
    await project?.remove();
    await served?.registry.close();
  });

  it('returns the number of projects and findings, with counts by rule', async () => {
    const result = await vscode.commands.executeCommand('dependencyRisk.auditWorkspace');
    assert.deepStrictEqual(result, {
      // The workspace's own package.json (its registry is a closed port: errors, no findings),
      // audit-app, and audit-app/vendor/local-tool (a package.json of its own, with no dependencies).
      projects: 3,
      findings: 9,
      byRule: {
        deprecated: 1,
        'fresh-release': 3,
        'install-script-added': 1,
        'install-script-changed': 1,
        'maintainer-added': 1,
        'provenance-dropped': 1,
        'publisher-changed': 1,
      },
    });
  });

  it('shows the findings in the Problems panel for a package.json nobody opened', async () => {
    await vscode.commands.executeCommand('dependencyRisk.auditWorkspace');
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.fsPath === project.uri('package.json').fsPath), 'the test must not open package.json');
    const texts = { manifest: await project.fixtureText('package.json'), lockfile: await project.fixtureText('package-lock.json'), lockfilePath: project.uri('package-lock.json').fsPath };
    await expectDiagnostics(project.uri('package.json'), expectedManifestDiagnostics(texts), 'the findings of the workspace audit');
    assert.deepStrictEqual(seenDiagnostics(project.uri('package-lock.json')), [], 'a lockfile that is not open carries none');
  });

  it('fetches every package once from a loopback registry through VS Code\'s proxy layer (npm/npm-registry-fetch#244), and never a linked folder', async () => {
    await vscode.commands.executeCommand('dependencyRisk.auditWorkspace');
    await served.registry.settled();
    const requested = served.registry.requests.map((r) => `${r.name} ${r.status}`);
    assert.deepStrictEqual([...new Set(requested)].sort(), RISKY_APP_PACKAGES.map((name) => `${name} 200`));
  });
});
