/** Hover on a dependency in package.json: the locked version's age, install scripts, publisher, provenance and deprecation. */

import * as vscode from 'vscode';
import { basename, dirname } from 'node:path';
import { parseManifest } from '../core/manifest';
import { summariseVersion } from '../core/summary';
import type { Analyzer } from './analyzer';
import { contentsRules } from '../core/contents/rules';
import { partToMarkdown, renderContentLines, renderHover, type HoverPart } from './hover-render';
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
    const contentIds = new Set(contentsRules.map((rule) => rule.meta.id));
    const contents = (state?.report.findings ?? []).filter((f) => contentIds.has(f.rule) && f.package === dependency.registryName && f.version === version);
    const parts = renderHover(summariseVersion(history, version), dependency.range, locked !== undefined, new Date());
    return new vscode.Hover(toMarkdownString([...parts.slice(0, -1), ...renderContentLines(contents), ...parts.slice(-1)]), range);
  } finally {
    cancel.dispose();
  }
}

function contains(location: { offset: number; length: number }, offset: number): boolean {
  return offset >= location.offset && offset <= location.offset + location.length;
}

/**
 * The hover's Markdown: parts from `renderHover`, each made inert by `partToMarkdown` (see there why
 * registry text is escaped by us rather than by appendText/appendCodeblock). Not trusted, no HTML:
 * command links and raw HTML stay dead even if something slipped through.
 */
function toMarkdownString(parts: readonly HoverPart[]): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, false);
  md.isTrusted = false;
  md.supportHtml = false;
  for (const part of parts) md.appendMarkdown(partToMarkdown(part));
  return md;
}
