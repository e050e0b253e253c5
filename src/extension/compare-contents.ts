/** "Compare Package Contents": VS Code's diff editor on one file of two published versions, as read-only virtual documents from the verified tarballs. */

import * as vscode from 'vscode';
import type { ContentsDiff } from '../core/contents/types';
import type { Analyzer } from './analyzer';
import { reportUnexpected, type Log } from './log';
import type { Projects } from './projects';

export const COMPARE_CONTENTS_COMMAND = 'dependencyRisk.compareContents';
/** `dependency-risk-contents:/name@version/path?dir=<project folder>`: served from memory, never a file. */
export const CONTENTS_SCHEME = 'dependency-risk-contents';

/** What to compare; any part left out is asked for with a quick pick (the palette passes nothing). */
export interface CompareTarget {
  readonly package: string;
  readonly version: string;
  /** Default: the version the finding compared with, else the release `version` followed. */
  readonly against?: string;
  /** The file, relative to the package folder; default: picked from the files that changed. */
  readonly path?: string;
  /** The project folder whose registry to ask; default: the first audited project that has the version. */
  readonly dir?: string;
}

export function registerCompareContents(deps: { readonly projects: Projects; readonly analyzer: Analyzer; readonly log: Log }): vscode.Disposable {
  const provider: vscode.TextDocumentContentProvider = {
    provideTextDocumentContent: async (uri) => {
      try {
        return await contentOf(uri, deps.analyzer);
      } catch (error) {
        reportUnexpected(deps.log, 'Compare Package Contents', error);
        return '(this file could not be read; see the Dependency Risk log.)';
      }
    },
  };
  return vscode.Disposable.from(
    vscode.workspace.registerTextDocumentContentProvider(CONTENTS_SCHEME, provider),
    vscode.commands.registerCommand(COMPARE_CONTENTS_COMMAND, async (target?: unknown) => {
      try {
        return await compare(isTarget(target) ? target : await pickVersion(deps.projects), deps);
      } catch (error) {
        reportUnexpected(deps.log, COMPARE_CONTENTS_COMMAND, error);
        return undefined;
      }
    }),
  );
}

/** Opens the diff editor; returns the two documents' URIs (undefined when cancelled or nothing to compare). */
async function compare(target: CompareTarget | undefined, deps: { readonly projects: Projects; readonly analyzer: Analyzer }): Promise<{ left: string; right: string } | undefined> {
  if (target === undefined) return undefined;
  const dir = target.dir ?? projectWith(deps.projects, target);
  const inspector = dir === undefined ? undefined : await deps.analyzer.inspectorFor(dir);
  if (dir === undefined || inspector === undefined) {
    void vscode.window.showWarningMessage(`Dependency Risk: audit a project that uses ${target.package}@${target.version} first, so its registry is known.`);
    return undefined;
  }
  const inspection = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Dependency Risk: reading ${target.package}@${target.version}`, cancellable: true }, (_progress, token) => {
    const controller = new AbortController();
    token.onCancellationRequested(() => controller.abort());
    return inspector.inspect(target.package, target.version, target.against, controller.signal);
  });
  const against = inspection.previousVersion;
  if (against === undefined || inspection.diff === undefined) {
    const why = inspection.errors[0]?.message ?? `${target.package}@${target.version} has no earlier version to compare with.`;
    void vscode.window.showWarningMessage(`Dependency Risk: ${why}`);
    return undefined;
  }
  const path = target.path ?? (await pickFile(inspection.diff, `${target.package} ${against} → ${target.version}`));
  if (path === undefined) return undefined;
  const uriOf = (version: string) => vscode.Uri.from({ scheme: CONTENTS_SCHEME, path: `/${target.package}@${version}/${path}`, query: new URLSearchParams({ dir }).toString() });
  const [left, right] = [uriOf(against), uriOf(target.version)];
  await vscode.commands.executeCommand('vscode.diff', left, right, `${target.package}: ${path} (${against} ↔ ${target.version}, published)`, { preview: true });
  return { left: left.toString(), right: right.toString() };
}

/** The text of one virtual document: the file from the verified tarball, or a one-line note. */
async function contentOf(uri: vscode.Uri, analyzer: Analyzer): Promise<string> {
  const parsed = parseContentsPath(uri.path);
  const dir = new URLSearchParams(uri.query).get('dir');
  const inspector = parsed === undefined || dir === null ? undefined : analyzer.inspectorFor(dir);
  if (parsed === undefined || inspector === undefined) return '(unknown package file: run "Compare Package Contents" again.)';
  return (await (await inspector).readFile(parsed.name, parsed.version, parsed.path)).text;
}

/** `/@scope/name@1.0.0/lib/x.js` → name, version and path; undefined for anything else. */
export function parseContentsPath(path: string): { name: string; version: string; path: string } | undefined {
  const segments = path.replace(/^\//, '').split('/');
  const take = segments[0]?.startsWith('@') ? 2 : 1;
  const spec = segments.slice(0, take).join('/');
  const at = spec.lastIndexOf('@');
  const file = segments.slice(take).join('/');
  if (at <= 0 || file === '' || segments.length <= take) return undefined;
  return { name: spec.slice(0, at), version: spec.slice(at + 1), path: file };
}

function isTarget(value: unknown): value is CompareTarget {
  const v = value as Partial<Record<keyof CompareTarget, unknown>> | undefined;
  return typeof v === 'object' && v !== null && typeof v.package === 'string' && typeof v.version === 'string' &&
    (['against', 'path', 'dir'] as const).every((key) => v[key] === undefined || typeof v[key] === 'string');
}

/** The first audited project whose report has a finding on, or a package at, the version. */
function projectWith(projects: Projects, target: CompareTarget): string | undefined {
  for (const [dir, state] of projects.all()) {
    if (state.report.findings.some((f) => f.package === target.package && f.version === target.version)) return dir;
    if (state.report.packages.some((p) => p.name === target.package && p.version === target.version)) return dir;
  }
  return undefined;
}

/** A quick pick of the flagged package@version pairs the last audits know. */
async function pickVersion(projects: Projects): Promise<CompareTarget | undefined> {
  const items = new Map<string, vscode.QuickPickItem & { target: CompareTarget }>();
  for (const [dir, state] of projects.all()) {
    for (const f of state.report.findings) {
      if (f.severity === 'info' || f.version === '') continue;
      const key = `${f.package}@${f.version}`;
      const previous = typeof f.evidence['previousVersion'] === 'string' ? f.evidence['previousVersion'] : undefined;
      const known = items.get(key);
      if (known) {
        if (!known.detail?.split(', ').includes(f.rule)) known.detail = `${known.detail}, ${f.rule}`;
        continue;
      }
      items.set(key, { label: key, description: previous ? `against ${previous}` : undefined, detail: f.rule, target: { package: f.package, version: f.version, dir, ...(previous ? { against: previous } : {}) } });
    }
  }
  if (items.size === 0) {
    void vscode.window.showInformationMessage('Dependency Risk: no flagged versions yet; audit the workspace first.');
    return undefined;
  }
  return (await vscode.window.showQuickPick([...items.values()].sort((a, b) => a.label.localeCompare(b.label)), { placeHolder: 'The version whose published files to compare' }))?.target;
}

/** A quick pick of the files added, removed, grown or changed between the two versions. */
async function pickFile(diff: ContentsDiff, title: string): Promise<string | undefined> {
  const items: Array<vscode.QuickPickItem & { path: string }> = [
    ...diff.added.map((path) => ({ label: path, description: 'added', path })),
    ...diff.grown.map((c) => ({ label: c.path, description: `grown ${c.before.toLocaleString('en-US')} → ${c.after.toLocaleString('en-US')} bytes`, path: c.path })),
    ...diff.removed.map((path) => ({ label: path, description: 'removed', path })),
    ...diff.changed.map((c) => ({ label: c.path, description: 'changed', path: c.path })),
  ];
  if (items.length === 0) {
    void vscode.window.showInformationMessage(`Dependency Risk: no file changed (${title}).`);
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { title, placeHolder: 'The file to compare' }))?.path;
}
