/** Hover on a dependency in package.json: the locked version's age, install scripts, publisher, provenance and deprecation. */

import * as vscode from 'vscode';
import { basename, dirname } from 'node:path';
import { packagePageUrl } from '../core/docs';
import { formatAge } from '../core/format';
import { parseManifest } from '../core/manifest';
import { summariseVersion, type VersionSummary } from '../core/summary';
import type { DeclaredDependency } from '../core/types';
import type { Analyzer } from './analyzer';
import { reportUnexpected, type Log } from './log';
import { MANIFEST, type Projects } from './projects';
import { readSettings } from './settings';

export function registerHover(deps: { analyzer: Analyzer; projects: Projects; log: Log }): vscode.Disposable {
  return vscode.languages.registerHoverProvider(
    [{ scheme: 'file', pattern: '**/package.json' }],
    {
      provideHover: async (document, position, token) => {
        try {
          return await hoverFor(document, position, token, deps);
        } catch (error) {
          reportUnexpected(deps.log, 'Hover', error);
          return undefined;
        }
      },
    },
  );
}

async function hoverFor(
  document: vscode.TextDocument,
  position: vscode.Position,
  token: vscode.CancellationToken,
  deps: { analyzer: Analyzer; projects: Projects },
): Promise<vscode.Hover | undefined> {
  if (basename(document.uri.fsPath) !== MANIFEST) return undefined;
  const offset = document.offsetAt(position);
  const manifest = parseManifest(MANIFEST, document.getText());
  const dependency = manifest.dependencies.find((d) => d.source === 'registry' && d.kind !== 'override' && (contains(d.nameLocation, offset) || contains(d.specLocation, offset)));
  if (!dependency) return undefined;
  const dir = dirname(document.uri.fsPath);
  const state = deps.projects.all().get(dir);
  const locked = state?.report.packages.find((p) => p.direct && p.name === dependency.registryName)?.version;
  const settings = readSettings(document.uri);
  const controller = new AbortController();
  const cancel = token.onCancellationRequested(() => controller.abort());
  try {
    const history = await deps.analyzer.history(dir, dependency.registryName, settings, true, controller.signal);
    if (token.isCancellationRequested || !history) return undefined;
    const version = locked ?? (dependency.range && history.versions.some((v) => v.version === dependency.range) ? dependency.range : history.distTags.latest);
    if (!version) return undefined;
    const range = new vscode.Range(document.positionAt(dependency.nameLocation.offset), document.positionAt(dependency.specLocation.offset + dependency.specLocation.length));
    return new vscode.Hover(renderSummary(summariseVersion(history, version), dependency, locked !== undefined, new Date()), range);
  } finally {
    cancel.dispose();
  }
}

function contains(location: { offset: number; length: number }, offset: number): boolean {
  return offset >= location.offset && offset <= location.offset + location.length;
}

/**
 * Renders the summary. Everything that comes from the registry (versions, names, script text,
 * deprecation messages, URLs) goes through appendText or appendCodeblock, and the string is not
 * trusted and allows no HTML: a publisher controls that text.
 */
export function renderSummary(s: VersionSummary, dependency: DeclaredDependency, locked: boolean, now: Date): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, false);
  md.isTrusted = false;
  md.supportHtml = false;
  const age = (iso?: string) => (iso ? `${formatAge(now.getTime() - Date.parse(iso))} (${iso.slice(0, 16).replace('T', ' ')} UTC)` : 'unknown');
  md.appendMarkdown('**');
  md.appendText(`${s.name} ${s.version}`);
  md.appendMarkdown('**');
  md.appendText(locked ? ' (locked)' : dependency.range === s.version ? ' (pinned)' : ' (newest admitted; no lockfile entry)');
  md.appendMarkdown('\n\n');
  line(md, 'Published', s.present ? age(s.publishedAt) : `removed from the registry${s.publishedAt ? `; was published ${age(s.publishedAt)}` : ''}`);
  if (s.latest && s.latest.version !== s.version) line(md, 'Newest', `${s.latest.version}, ${age(s.latest.publishedAt)}`);
  if (s.installScripts && Object.keys(s.installScripts).length > 0) {
    line(md, 'Install scripts', s.installScriptsSince && s.installScriptsSince !== s.version ? `since ${s.installScriptsSince}` : `new in ${s.version}`);
    md.appendCodeblock(Object.entries(s.installScripts).map(([hook, command]) => `${hook}: ${command}`).join('\n'), 'sh');
  } else if (s.installScripts) {
    line(md, 'Install scripts', 'none');
  }
  if (s.publisher) {
    const known = s.publisherPublishedBefore === undefined ? '' : s.publisherPublishedBefore ? ', who published earlier versions' : ', who had not published this package before';
    line(md, 'Published by', `${s.publisher}${s.trustedPublisher ? ` (trusted publisher: ${s.trustedPublisher})` : ''}${known}`);
  }
  if (s.trust) line(md, 'Provenance', s.trust === 'none' ? 'none' : `${s.trust.replace('-', ' ')}${s.repository ? ` from ${s.repository}` : ''}`);
  if (s.deprecated) line(md, 'Deprecated', s.deprecated);
  md.appendMarkdown(`\n[View on npm](${packagePageUrl(s.name, s.version)})`);
  return md;
}

function line(md: vscode.MarkdownString, label: string, value: string): void {
  md.appendMarkdown(`${label}: `);
  md.appendText(value);
  md.appendMarkdown('  \n');
}
