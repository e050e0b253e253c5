/** Keeps each project's newest report and diagnostics current: debounced, cache first, network in the background, stale work dropped. */

import * as vscode from 'vscode';
import { basename, join, relative, sep } from 'node:path';
import { parseManifest } from '../core/manifest';
import { LOCKFILE_NAMES } from '../core/lockfile';
import type { AuditReport, Manifest } from '../core/types';
import { readOpenDocumentOrFile, type Analyzer } from './analyzer';
import { diagnosticsOf, type ShownFinding } from './diagnostics';
import { reportUnexpected, type Log } from './log';
import { readSettings } from './settings';

export const MANIFEST = 'package.json';
/** Lockfiles and package-manager policy files: a change to any of them re-audits the project. */
export const LOCKFILES: readonly string[] = [...LOCKFILE_NAMES, 'pnpm-workspace.yaml', '.npmrc', '.yarnrc.yml', 'bunfig.toml'];
/** A glob for every project file, for watchers and document selectors. */
export const PROJECT_FILES_GLOB = `**/{${[MANIFEST, ...LOCKFILES].join(',')}}`;

/** Is this a file whose change should re-audit its project? */
export function isProjectFile(uri: vscode.Uri): boolean {
  const name = basename(uri.fsPath);
  return uri.scheme === 'file' && (name === MANIFEST || LOCKFILES.includes(name)) && !uri.fsPath.split(/[\\/]/).includes('node_modules');
}

export interface ProjectState {
  readonly report: AuditReport;
  readonly manifest: Manifest;
  /** The package.json text the report's offsets and fix edits refer to. */
  readonly manifestText: string;
  /** Whether the registry was asked (false: cached facts only, so far). */
  readonly complete: boolean;
}

/** Delays: edits settle for CACHE_DELAY_MS before cached facts are re-evaluated, NETWORK_DELAY_MS before the registry is asked. */
export const CACHE_DELAY_MS = 250;
export const NETWORK_DELAY_MS = 1500;

export class Projects implements vscode.Disposable {
  readonly diagnostics = vscode.languages.createDiagnosticCollection('dependencyRisk');
  private readonly states = new Map<string, ProjectState>();
  private readonly shown = new Map<string, ShownFinding[]>();
  /** The file URIs each project's diagnostics were published on. */
  private readonly published = new Map<string, Set<string>>();
  private readonly pending = new Map<string, { timers: NodeJS.Timeout[]; controller: AbortController }>();
  private readonly updated = new vscode.EventEmitter<string>();
  private readonly busyChanged = new vscode.EventEmitter<number>();
  private busyCount = 0;
  /** Fires with the project folder whenever its report changes. */
  readonly onDidUpdate = this.updated.event;
  /** Fires with the number of audits in flight. */
  readonly onDidChangeBusy = this.busyChanged.event;

  constructor(
    private readonly analyzer: Analyzer,
    private readonly log: Log,
  ) {}

  get busy(): number {
    return this.busyCount;
  }

  /** Every project's state, by folder. */
  all(): ReadonlyMap<string, ProjectState> {
    return this.states;
  }

  /** What is shown in a file, with the findings behind it (code actions read this). */
  shownIn(uri: vscode.Uri): readonly ShownFinding[] {
    return this.shown.get(uri.toString()) ?? [];
  }

  /**
   * Re-audits the project after edits settle: first from cached facts, then (unless `cacheOnly`)
   * with the registry. A newer call cancels the older one's timers and in-flight requests.
   */
  schedule(dir: string, options: { cacheOnly?: boolean; immediate?: boolean } = {}): void {
    this.cancel(dir);
    const controller = new AbortController();
    const timers: NodeJS.Timeout[] = [];
    const step = (network: boolean) => () => void this.run(dir, { network, signal: controller.signal });
    timers.push(setTimeout(step(false), options.immediate ? 0 : CACHE_DELAY_MS));
    if (!options.cacheOnly) timers.push(setTimeout(step(true), options.immediate ? 0 : NETWORK_DELAY_MS));
    this.pending.set(dir, { timers, controller });
  }

  /** Audits now and waits for it (commands use this). Resolves undefined when cancelled or failed. */
  async run(dir: string, options: { network: boolean; refresh?: boolean; signal?: AbortSignal }): Promise<ProjectState | undefined> {
    const settings = readSettings(vscode.Uri.file(join(dir, MANIFEST)));
    if (!settings.enable) {
      this.forget(dir);
      return undefined;
    }
    this.setBusy(+1);
    try {
      const before = await readOpenDocumentOrFile(join(dir, MANIFEST));
      const report = await this.analyzer.analyze(dir, settings, options);
      if (options.signal?.aborted) return undefined;
      const manifestText = await readOpenDocumentOrFile(join(dir, MANIFEST));
      if (options.signal?.aborted || manifestText === undefined) return undefined;
      // Spans are named relative to the project root, as the report's locations are.
      const manifestFile = relative(report.root, join(dir, MANIFEST)).split(sep).join('/');
      const state: ProjectState = { report, manifest: parseManifest(manifestFile, manifestText), manifestText, complete: options.network };
      // Edited while a command's audit ran (edits cancel only scheduled checks): the report may
      // describe the old text, so it is returned but not shown; the edit scheduled a newer check.
      if (manifestText !== before) return state;
      this.states.set(dir, state);
      this.publish(dir, state);
      this.updated.fire(dir);
      if (options.network && settings.inspectContents && !settings.offline) void this.addContents(dir, state, settings, options.signal);
      return state;
    } catch (error) {
      if (!options.signal?.aborted) reportUnexpected(this.log, `Auditing ${dir}`, error);
      return undefined;
    } finally {
      this.setBusy(-1);
    }
  }

  /**
   * Inspects the published contents of the versions `state` flags, in the background, and publishes
   * the report again with the content findings, unless a newer audit replaced `state` meanwhile.
   */
  private async addContents(dir: string, state: ProjectState, settings: ReturnType<typeof readSettings>, signal?: AbortSignal): Promise<void> {
    this.setBusy(+1);
    try {
      const report = await this.analyzer.inspectContents(dir, state.report, settings, signal);
      if (signal?.aborted || this.states.get(dir) !== state || report === state.report) return;
      const next: ProjectState = { ...state, report };
      this.states.set(dir, next);
      this.publish(dir, next);
      this.updated.fire(dir);
    } catch (error) {
      if (!signal?.aborted) reportUnexpected(this.log, `Inspecting package contents for ${dir}`, error);
    } finally {
      this.setBusy(-1);
    }
  }

  /** Re-publishes diagnostics (e.g. when a lockfile is opened or closed). */
  republish(dir: string): void {
    const state = this.states.get(dir);
    if (state) this.publish(dir, state);
  }

  /** Removes a project's diagnostics (its package.json was deleted, or checking was disabled). */
  forget(dir: string): void {
    this.cancel(dir);
    const state = this.states.get(dir);
    this.states.delete(dir);
    if (state) for (const uri of this.urisOf(dir)) this.clear(uri);
    this.published.delete(dir);
    this.updated.fire(dir);
  }

  dispose(): void {
    for (const dir of [...this.pending.keys()]) this.cancel(dir);
    this.diagnostics.dispose();
    this.updated.dispose();
    this.busyChanged.dispose();
  }

  private publish(dir: string, state: ProjectState): void {
    const isOpen = (uri: vscode.Uri) => vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString());
    for (const uri of this.urisOf(dir)) this.clear(uri);
    // Locations are relative to the project's root, which is a parent folder for a workspace.
    const byUri = diagnosticsOf(state.report.root, state.report, state.manifest, isOpen);
    for (const [uri, list] of byUri) {
      this.shown.set(uri, list);
      this.diagnostics.set(vscode.Uri.parse(uri), list.map((s) => s.diagnostic));
    }
    this.published.set(dir, new Set(byUri.keys()));
  }

  private urisOf(dir: string): string[] {
    return [...(this.published.get(dir) ?? [])];
  }

  private clear(uri: string): void {
    this.shown.delete(uri);
    this.diagnostics.delete(vscode.Uri.parse(uri));
  }

  private cancel(dir: string): void {
    const pending = this.pending.get(dir);
    if (!pending) return;
    pending.timers.forEach(clearTimeout);
    pending.controller.abort();
    this.pending.delete(dir);
  }

  private setBusy(delta: number): void {
    this.busyCount += delta;
    this.busyChanged.fire(this.busyCount);
  }
}
