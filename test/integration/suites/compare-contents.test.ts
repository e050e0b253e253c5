/** "Compare Package Contents": the diff editor on one file of two published versions, read-only virtual documents from the verified tarballs. */
import * as assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import * as vscode from 'vscode';
import { expectDiagnostics } from '../helpers/diagnostics';
import { addProject, closeEditorsUnder, type WorkspaceProject } from '../helpers/project';
import { startEditorRegistry, type EditorRegistry } from '../helpers/registry';
import { expectedManifestDiagnostics } from '../helpers/risky-app';
import { serveVersions } from '../../unit/contents/support/pack';
import { packageEntries, writeTgz } from '../../unit/contents/support/tar-writer';

const CLEAN = "'use strict';\nmodule.exports = (text) => `\\u001b[31m${text}\\u001b[39m`;\n";
const PAYLOAD = `${CLEAN}var _0x1a2b=['push','shift'];(function(_0x3c4d,_0x5e6f){while(--_0x5e6f){_0x3c4d['push'](_0x3c4d['shift']());}}(_0x1a2b,0x1f4));\n`;
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(200, 0x41)]);

describe('Compare Package Contents', function () {
  this.timeout(30_000);
  let served: EditorRegistry;
  let project: WorkspaceProject;

  before(async () => {
    await vscode.extensions.getExtension('dependency-risk.dependency-risk')!.activate();
    served = await startEditorRegistry();
    // Two published versions of a package, with tarballs and integrity, on the project's own registry.
    const entries = (version: string, files: Record<string, string | Buffer>) => [
      ...packageEntries('shade-kit', version).filter((e) => e.name === 'package/package.json'),
      ...Object.entries(files).map(([name, data]) => ({ name: `package/${name}`, data })),
    ];
    serveVersions(served.registry, 'shade-kit', [
      { version: '1.2.0', tarball: writeTgz(entries('1.2.0', { 'index.js': CLEAN, 'README.md': '# shade-kit\n' })), manifest: { name: 'shade-kit', version: '1.2.0', main: 'index.js' } },
      { version: '1.2.1', tarball: writeTgz(entries('1.2.1', { 'index.js': PAYLOAD, 'bin/helper': ELF })), manifest: { name: 'shade-kit', version: '1.2.1', main: 'index.js' } },
    ]);
    project = await addProject('risky-app', { as: 'compare-contents-app', registry: served.registry.url });
    await project.open('package.json');
    const texts = { manifest: await project.fixtureText('package.json'), lockfile: await project.fixtureText('package-lock.json'), lockfilePath: project.uri('package-lock.json').fsPath };
    // The audit tells the extension which registry the project uses.
    await expectDiagnostics(project.uri('package.json'), expectedManifestDiagnostics(texts), 'the audit before comparing');
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    await project?.remove();
    await served?.registry.close();
  });

  /** Runs the command with every choice given, and reads the two documents of the diff editor it opened. */
  async function compare(path: string): Promise<{ left: vscode.TextDocument; right: vscode.TextDocument; label: string | undefined }> {
    const result = await vscode.commands.executeCommand<{ left: string; right: string } | undefined>('dependencyRisk.compareContents', {
      package: 'shade-kit',
      version: '1.2.1',
      against: '1.2.0',
      path,
      dir: project.dir,
    });
    assert.ok(result, 'the command opened a diff editor');
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab?.input instanceof vscode.TabInputTextDiff, 'the active tab is a diff editor');
    const input = tab.input as vscode.TabInputTextDiff;
    assert.deepEqual([input.original.toString(), input.modified.toString()], [result.left, result.right]);
    return { left: await vscode.workspace.openTextDocument(input.original), right: await vscode.workspace.openTextDocument(input.modified), label: tab.label };
  }

  it('opens the diff editor on index.js of the two published versions, as read-only virtual documents', async () => {
    const before = await readdir(project.dir);
    const { left, right, label } = await compare('index.js');
    assert.equal(left.getText(), CLEAN);
    assert.equal(right.getText(), PAYLOAD);
    assert.equal(label, 'shade-kit: index.js (1.2.0 ↔ 1.2.1, published)');
    for (const doc of [left, right]) {
      assert.equal(doc.uri.scheme, 'dependency-risk-contents');
      assert.equal(doc.isUntitled, false);
    }
    assert.equal(left.uri.path, '/shade-kit@1.2.0/index.js');
    assert.equal(right.uri.path, '/shade-kit@1.2.1/index.js');
    // Nothing is written into the workspace.
    assert.deepEqual(await readdir(project.dir), before);
    // Served by a TextDocumentContentProvider, which VS Code opens in read-only editors: nothing to save, nowhere to save it.
    assert.equal(left.isDirty || right.isDirty, false);
  });

  it('shows an added binary file as a one-line note beside a note that the older version has no such file', async () => {
    const { left, right } = await compare('bin/helper');
    assert.equal(left.getText(), '(shade-kit@1.2.0/bin/helper is not in this version.)');
    assert.equal(right.getText(), '(shade-kit@1.2.1/bin/helper is a binary file (ELF executable), 208 bytes; it is not shown.)');
  });

  it('shows a removed file beside a note that the newer version has none', async () => {
    const { left, right } = await compare('README.md');
    assert.equal(left.getText(), '# shade-kit\n');
    assert.equal(right.getText(), '(shade-kit@1.2.1/README.md is not in this version.)');
  });

  it('asks the registry only for the packument and the two verified tarballs', async () => {
    const asked = served.registry.requests.map((r) => r.url).filter((url) => url.includes('shade-kit'));
    assert.ok(asked.length > 0);
    assert.ok(asked.every((url) => /\/shade-kit(?:\/-\/shade-kit-1\.2\.[01]\.tgz)?$/.test(new URL(url, 'http://x').pathname)), asked.join(', '));
    await closeEditorsUnder(project.dir);
  });
});
