/** Clear Cache forgets every cached fact: once the registry is gone, an audit can no longer fall back on them. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { addProject, type WorkspaceProject } from '../helpers/project';
import { startEditorRegistry, type EditorRegistry } from '../helpers/registry';

describe('Clear Cache', function () {
  this.timeout(40_000);
  let served: EditorRegistry;
  let registryDown = false;
  let project: WorkspaceProject;

  before(async () => {
    await vscode.extensions.getExtension('dependency-risk.dependency-risk')!.activate();
    served = await startEditorRegistry();
    project = await addProject('risky-app', { as: 'cache-app', registry: served.registry.url });
  });

  after(async () => {
    await project?.remove();
    if (!registryDown) await served?.registry.close();
  });

  it('leaves nothing to fall back on: with the registry down, findings come from the cache before clearing and not after', async () => {
    await project.open('package.json');
    const online = await vscode.commands.executeCommand<number>('dependencyRisk.auditFile');
    assert.ok(online !== undefined && online > 0, `the risky app has findings (${online})`);
    await served.registry.close();
    registryDown = true;
    const cached = await vscode.commands.executeCommand<number>('dependencyRisk.auditFile');
    assert.equal(cached, online, 'control: with the registry down, the cached facts still give every finding');
    await vscode.commands.executeCommand('dependencyRisk.clearCache');
    const cleared = await vscode.commands.executeCommand<number>('dependencyRisk.auditFile');
    assert.equal(cleared, 0, 'after Clear Cache nothing is known about any package');
  });
});
