/** Proves the harness is real: these tests run in a VS Code extension host on the fixture workspace. */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';

describe('integration harness', () => {
  it('runs inside VS Code 1.x', () => {
    assert.match(vscode.version, /^1\.\d+\.\d+/);
  });

  it('opens the copy of the fixture workspace as the only folder', () => {
    const folders = (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.fsPath);
    assert.deepStrictEqual(folders, [process.env.DR_WORKSPACE]);
  });

  it('opens the fixture package.json as a JSON document', async () => {
    const [folder] = vscode.workspace.workspaceFolders ?? [];
    assert.ok(folder, 'no workspace folder');
    const uri = vscode.Uri.joinPath(folder.uri, 'package.json');
    const document = await vscode.workspace.openTextDocument(uri);
    assert.equal(document.languageId, 'json');
    assert.equal(path.basename(document.uri.fsPath), 'package.json');
    assert.equal(JSON.parse(document.getText()).name, 'basic-fixture');
  });

  it('isolates npm configuration: no npm_* variables, and the user registry is a closed loopback port', async () => {
    const { readFile } = await import('node:fs/promises');
    const os = await import('node:os');
    assert.deepStrictEqual(Object.keys(process.env).filter((name) => /^npm_/i.test(name)), []);
    assert.equal(await readFile(path.join(os.homedir(), '.npmrc'), 'utf8'), 'registry=http://127.0.0.1:9/\n');
  });

  // DR_HARNESS_SELFTEST=1 npm run test:integration must end with "1 failed" and exit 1: proof that a
  // failing assertion in the extension host reaches the runner's exit code.
  if (process.env.DR_HARNESS_SELFTEST === '1') {
    it('fails on purpose (harness self-test)', () => {
      assert.deepStrictEqual({ failure: 'propagates' }, { failure: 'is lost' });
    });
  }
});
