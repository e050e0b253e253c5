/** Settings take effect at once: the registry setting redirects audits, severities change or silence rules, `enable` turns checking off. */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { expectDiagnostics, seenDiagnostics, waitForDiagnostics, type SeenDiagnostic } from '../helpers/diagnostics';
import { addProject, revert, type WorkspaceProject } from '../helpers/project';
import { startEditorRegistry, type EditorRegistry } from '../helpers/registry';
import { expectedManifestDiagnostics, RISKY_APP_FINDINGS } from '../helpers/risky-app';

/** Every registry package of risky-app. */
const RISKY_APP_PACKAGES = ['app-framework', 'evil-patch', 'lost-provenance', 'mirror-style', 'native-addon', 'new-publisher', 'old-deprecated', 'safe-lib'];

/** Nothing listens on port 9 of the loopback interface. */
const DEAD_REGISTRY = 'http://127.0.0.1:9/';

describe('settings', function () {
  this.timeout(40_000);
  const registries: EditorRegistry[] = [];
  let project: WorkspaceProject | undefined;
  let texts: { manifest: string; lockfile: string; lockfilePath: string };

  before(async () => {
    await vscode.extensions.getExtension('dependency-risk.dependency-risk')!.activate();
  });

  afterEach(async () => {
    const config = vscode.workspace.getConfiguration('dependencyRisk');
    for (const key of ['registry', 'severity', 'enable']) await config.update(key, undefined, vscode.ConfigurationTarget.Workspace);
    await project?.remove();
    for (const r of registries.splice(0)) await r.registry.close();
  });

  /** risky-app whose .npmrc names `npmrc`, with package.json open. */
  async function openProject(npmrc: string): Promise<WorkspaceProject> {
    project = await addProject('risky-app', { as: 'settings-app', registry: npmrc });
    texts = { manifest: await project.fixtureText('package.json'), lockfile: await project.fixtureText('package-lock.json'), lockfilePath: project.uri('package-lock.json').fsPath };
    await project.open('package.json');
    return project;
  }

  async function startRegistry(): Promise<EditorRegistry> {
    const served = await startEditorRegistry();
    registries.push(served);
    return served;
  }

  const setting = (key: string, value: unknown) => vscode.workspace.getConfiguration('dependencyRisk').update(key, value, vscode.ConfigurationTarget.Workspace);

  it('dependencyRisk.registry sends the audit to another registry than the project\'s .npmrc names', async () => {
    const p = await openProject(DEAD_REGISTRY);
    const served = await startRegistry();
    await setting('registry', served.registry.url);
    await expectDiagnostics(p.uri('package.json'), expectedManifestDiagnostics(texts), 'the findings from the registry the setting names');
  });

  it('keeps every squiggle while an edit is re-checked after the registry changed (no blink to nothing)', async () => {
    const first = await startRegistry();
    const p = await openProject(first.registry.url);
    const all = expectedManifestDiagnostics(texts);
    await expectDiagnostics(p.uri('package.json'), all, 'the findings from the .npmrc registry');
    // The same names from a second registry. The disk cache holds the first registry's entries, and
    // the second answers slowly, so the cache-only pass after the switch reads those first.
    const second = await startRegistry();
    for (const name of RISKY_APP_PACKAGES) second.registry.setBehaviour(name, { delayMs: 500, times: 1 });
    await setting('registry', second.registry.url);
    await second.registry.received(RISKY_APP_PACKAGES.length);
    await expectDiagnostics(p.uri('package.json'), all, 'the findings from the registry of the setting');

    const seen: SeenDiagnostic[][] = [];
    const recording = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.fsPath === p.uri('package.json').fsPath)) seen.push(seenDiagnostics(p.uri('package.json')));
    });
    try {
      // An edit that changes no dependency: re-checked from the cache first, then with the registry.
      const document = await vscode.workspace.openTextDocument(p.uri('package.json'));
      const edit = new vscode.WorkspaceEdit();
      edit.replace(document.uri, document.lineAt(2).range, '  "version": "1.0.1",');
      assert.ok(await vscode.workspace.applyEdit(edit));
      await waitFor(() => seen.length >= 2, 'the cache pass and the registry pass to publish', 10_000);
    } finally {
      recording.dispose();
      await revert(await vscode.workspace.openTextDocument(p.uri('package.json')));
    }
    assert.deepStrictEqual(seen.map((s) => s.length), seen.map(() => all.length), 'every publish after the edit showed every finding');
  });

  it('dependencyRisk.severity changes a rule\'s severity, and "off" silences it', async () => {
    const served = await startRegistry();
    const p = await openProject(served.registry.url);
    await expectDiagnostics(p.uri('package.json'), expectedManifestDiagnostics(texts), 'the findings at their default severities');
    await setting('severity', { deprecated: 'off', 'maintainer-added': 'error' });
    const changed = RISKY_APP_FINDINGS.filter((f) => f.rule !== 'deprecated').map((f) => (f.rule === 'maintainer-added' ? { ...f, severity: 'error' as const } : f));
    await expectDiagnostics(p.uri('package.json'), expectedManifestDiagnostics(texts, changed), 'the findings at the set severities');
  });

  it('dependencyRisk.enable false removes our diagnostics, and true brings them back', async () => {
    const served = await startRegistry();
    const p = await openProject(served.registry.url);
    const all = expectedManifestDiagnostics(texts);
    await expectDiagnostics(p.uri('package.json'), all, 'the findings while enabled');
    await setting('enable', false);
    await waitForDiagnostics(p.uri('package.json'), (d) => d.length === 0, 'no diagnostics while disabled');
    await setting('enable', true);
    await expectDiagnostics(p.uri('package.json'), all, 'the findings once enabled again');
  });
});

/** Resolves when `done()` holds, checked on every diagnostics change; rejects after `timeoutMs`. */
function waitFor(done: () => boolean, what: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const finish = (error?: Error) => {
      clearTimeout(timer);
      subscription.dispose();
      if (error) reject(error);
      else resolve();
    };
    // Registered after the caller's own listener, so its records are in when this checks.
    const subscription = vscode.languages.onDidChangeDiagnostics(() => done() && finish());
    const timer = setTimeout(() => finish(new Error(`${what}: not within ${timeoutMs} ms`)), timeoutMs);
    if (done()) finish();
  });
}
