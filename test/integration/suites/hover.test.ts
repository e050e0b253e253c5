/** Hovering a dependency in package.json explains its locked version: age, install scripts, publisher, provenance, deprecation. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { expectDiagnostics } from '../helpers/diagnostics';
import { addProject, type WorkspaceProject } from '../helpers/project';
import { startEditorRegistry, type EditorRegistry } from '../helpers/registry';
import { expectedManifestDiagnostics } from '../helpers/risky-app';

describe('hover on a dependency', function () {
  this.timeout(30_000);
  let served: EditorRegistry;
  let project: WorkspaceProject;
  let manifest: string;

  before(async () => {
    await vscode.extensions.getExtension('dependency-risk.dependency-risk')!.activate();
    served = await startEditorRegistry();
    project = await addProject('risky-app', { as: 'hover-app', registry: served.registry.url });
    manifest = await project.fixtureText('package.json');
    await project.open('package.json');
    const texts = { manifest, lockfile: await project.fixtureText('package-lock.json'), lockfilePath: project.uri('package-lock.json').fsPath };
    await expectDiagnostics(project.uri('package.json'), expectedManifestDiagnostics(texts), 'the audit before hovering');
  });

  after(async () => {
    await project?.remove();
    await served?.registry.close();
  });

  /**
   * Our hover at `needle` in package.json as plain text (VS Code's escapes of `appendText` undone).
   * The built-in npm extension hovers the same dependencies: its text is left aside.
   */
  async function ourHoverAt(needle: string): Promise<string | undefined> {
    const offset = manifest.indexOf(needle);
    assert.ok(offset >= 0 && manifest.indexOf(needle, offset + 1) < 0, `${needle} is not unique in package.json`);
    const document = await vscode.workspace.openTextDocument(project.uri('package.json'));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, document.positionAt(offset + 1));
    const ours = hovers.flatMap((h) => h.contents).filter((c): c is vscode.MarkdownString => typeof c !== 'string' && 'value' in c && c.value.startsWith('**'));
    assert.ok(ours.length <= 1, `more than one hover of ours: ${JSON.stringify(ours)}`);
    return ours[0] && plain(ours[0].value);
  }

  /** How a UTC time the fixtures give is shown: `2025-10-04 12:00 UTC`, moved to the served clock. */
  const shown = (fixtureTime: string) => `${served.served(fixtureTime).slice(0, 16).replace('T', ' ')} UTC`;

  it('explains the locked version on its version string: age with date, install scripts, publisher, provenance', async () => {
    assert.equal(
      await ourHoverAt('"^3.1.0"'),
      [
        '**lost-provenance 3.1.2** (locked)',
        '',
        `Published: 24 h ago (${shown('2025-10-04T12:00:00.000Z')})  `,
        'Install scripts: none  ',
        'Published by: alice, who published earlier versions  ',
        'Provenance: none  ',
        '',
        '[View on npm](https://www.npmjs.com/package/lost-provenance/v/3.1.2)',
      ].join('\n'),
    );
  });

  it('shows the install script a version runs, on the package name', async () => {
    assert.equal(
      await ourHoverAt('"native-addon"'),
      [
        '**native-addon 5.1.0** (locked)',
        '',
        `Published: 34 days ago (${shown('2025-09-01T10:00:00.000Z')})  `,
        'Install scripts: changed in 5.1.0  ',
        '',
        '```sh',
        'install: prebuild-install || node-gyp rebuild',
        '```',
        'Published by: ivy, who published earlier versions  ',
        'Provenance: none  ',
        '',
        '[View on npm](https://www.npmjs.com/package/native-addon/v/5.1.0)',
      ].join('\n'),
    );
  });

  it('names a publisher who had never published the package before', async () => {
    assert.equal(
      await ourHoverAt('"new-publisher"'),
      [
        '**new-publisher 2.1.1** (locked)',
        '',
        `Published: 15 days ago (${shown('2025-09-20T12:00:00.000Z')})  `,
        'Install scripts: none  ',
        'Published by: mallory, who had not published this package before  ',
        'Provenance: none  ',
        '',
        '[View on npm](https://www.npmjs.com/package/new-publisher/v/2.1.1)',
      ].join('\n'),
    );
  });

  it('quotes the deprecation note and names the newest version', async () => {
    assert.equal(
      await ourHoverAt('"old-deprecated"'),
      [
        '**old-deprecated 1.0.0** (locked)',
        '',
        `Published: 2318 days ago (${shown('2019-06-01T10:00:00.000Z')})  `,
        `Newest: 1.0.1, 2314 days ago (${shown('2019-06-05T10:00:00.000Z')})  `,
        'Install scripts: none  ',
        'Published by: henry, who published earlier versions  ',
        'Provenance: none  ',
        'Deprecated: 1.0.0 corrupts files on Windows; upgrade to 1.0.1  ',
        '',
        '[View on npm](https://www.npmjs.com/package/old-deprecated/v/1.0.0)',
      ].join('\n'),
    );
  });

  it('stays out of what is not a registry dependency: the name field, a linked folder', async () => {
    assert.equal(await ourHoverAt('"risky-app"'), undefined);
    assert.equal(await ourHoverAt('"local-tool"'), undefined);
    assert.notEqual(await ourHoverAt('"mirror-style"'), undefined, 'control: a registry dependency next to them has our hover');
  });
});

/** Hover Markdown as a reader sees it: `&nbsp;` as spaces, backslash-escaped ASCII punctuation (CommonMark 2.4) as itself. */
function plain(markdown: string): string {
  return markdown.replace(/&nbsp;/g, ' ').replace(/\\([!-/:-@[-`{-~])/g, '$1');
}
