/** Diagnostics follow the files on disk: a lockfile rewritten by npm, a package.json deleted, a project that appears. */
import * as vscode from 'vscode';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { expectDiagnostics, waitForDiagnostics } from '../helpers/diagnostics';
import { addProject, type WorkspaceProject } from '../helpers/project';
import { startEditorRegistry, type EditorRegistry } from '../helpers/registry';
import { expectedManifestDiagnostics, RISKY_APP_FINDINGS, type RiskyAppFinding } from '../helpers/risky-app';

describe('file watching', function () {
  this.timeout(30_000);
  let served: EditorRegistry;
  let project: WorkspaceProject;
  let manifest: string;
  let lockfile: string;
  const extra: WorkspaceProject[] = [];

  before(async () => {
    await vscode.extensions.getExtension('dependency-risk.dependency-risk')!.activate();
    served = await startEditorRegistry();
    project = await addProject('risky-app', { as: 'watch-app', registry: served.registry.url });
    manifest = await project.fixtureText('package.json');
    lockfile = await project.fixtureText('package-lock.json');
  });

  after(async () => {
    for (const p of [project, ...extra]) await p?.remove();
    await served?.registry.close();
  });

  /** Puts the fixture's files back on disk and waits until package.json shows every finding again. */
  async function startFromFixture(): Promise<void> {
    await project.write('package.json', manifest);
    await project.write('package-lock.json', lockfile);
    await expectDiagnostics(project.uri('package.json'), expectedFor(lockfile), 'the risky-app findings');
  }

  /** The lockfile as npm would rewrite it for another version: version, tarball URL and the registry's integrity. */
  const moveTo = (lock: string, name: string, from: string, to: string): string => {
    const doc = JSON.parse(readFileSync(join(process.env.DR_FIXTURES_DIR!, 'packuments', `${name}.json`), 'utf8')) as {
      versions: Record<string, { dist: { integrity: string } }>;
    };
    const entry = new RegExp(`("node_modules/${name}": \\{\\n\\s+"version": )"${from.replace(/\./g, '\\.')}"`);
    return lock
      .replace(entry, `$1"${to}"`)
      .replace(`/${name}-${from}.tgz`, `/${name}-${to}.tgz`)
      .replace(doc.versions[from].dist.integrity, doc.versions[to].dist.integrity);
  };

  const expectedFor = (lock: string, findings: readonly RiskyAppFinding[] = RISKY_APP_FINDINGS) =>
    expectedManifestDiagnostics({ manifest, lockfile: lock, lockfilePath: project.uri('package-lock.json').fsPath }, findings);

  it('drops native-addon\'s finding when npm rewrites the lockfile to 5.0.1, whose install script is unchanged', async () => {
    await startFromFixture();
    const downgraded = moveTo(lockfile, 'native-addon', '5.1.0', '5.0.1');
    await project.write('package-lock.json', downgraded);
    await expectDiagnostics(project.uri('package.json'), expectedFor(downgraded, RISKY_APP_FINDINGS.filter((f) => f.package !== 'native-addon')), 'the findings without native-addon');
  });

  it('drops the transitive evil-patch findings when the lockfile moves evil-patch back to 4.1.1', async () => {
    await startFromFixture();
    const overridden = moveTo(lockfile, 'evil-patch', '4.1.2', '4.1.1');
    await project.write('package-lock.json', overridden);
    await expectDiagnostics(project.uri('package.json'), expectedFor(overridden, RISKY_APP_FINDINGS.filter((f) => f.package !== 'evil-patch')), 'the findings without evil-patch');
  });

  it('clears a project\'s diagnostics when its package.json is deleted', async () => {
    await startFromFixture();
    await rm(project.uri('package.json').fsPath);
    await waitForDiagnostics(project.uri('package.json'), (seen) => seen.length === 0, 'no diagnostics on the deleted package.json');
  });

  it('audits a project that appears on disk, without it being opened', async () => {
    const added = await addProject('risky-app', { as: 'watch-new-app', registry: served.registry.url });
    extra.push(added);
    const texts = { manifest, lockfile, lockfilePath: added.uri('package-lock.json').fsPath };
    await expectDiagnostics(added.uri('package.json'), expectedManifestDiagnostics(texts), 'the findings of the new project');
  });
});

