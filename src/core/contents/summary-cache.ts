/** Keeps tarball summaries on disk by tarball integrity (content-addressed): each published tarball is analysed once. */

import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TarballSummary } from './types';

/** Bump when the analysis changes (new measurements, other thresholds): older summaries are then ignored. */
export const ANALYSIS_VERSION = 1;
/** Summaries kept in memory (the editor's cache lives as long as the window); the disk keeps them all. */
const MAX_IN_MEMORY = 64;

interface StoredSummary {
  readonly analysisVersion: number;
  readonly integrity: string;
  readonly summary: TarballSummary;
}

/**
 * Summaries in memory and, when `dir` is given, in `<dir>/contents/<sha256 of integrity>.json`.
 * Only the summary is stored, never the tarball. Writes are atomic (temporary file, then rename);
 * disk failures are logged and otherwise ignored, since the cache only saves work.
 */
export class SummaryCache {
  private readonly memory = new Map<string, TarballSummary>();

  constructor(private readonly options: { readonly dir?: string; readonly log?: (message: string) => void } = {}) {}

  private fileOf(integrity: string): string | undefined {
    if (this.options.dir === undefined) return undefined;
    return join(this.options.dir, 'contents', `${createHash('sha256').update(integrity).digest('hex')}.json`);
  }

  async get(integrity: string): Promise<TarballSummary | undefined> {
    const known = this.memory.get(integrity);
    if (known !== undefined) return known;
    const file = this.fileOf(integrity);
    if (file === undefined) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(await readFile(file, 'utf8'));
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'ENOENT') this.options.log?.(`contents cache: ignoring ${file}: ${String(error)}`);
      return undefined;
    }
    if (!isStoredSummary(value, integrity)) {
      this.options.log?.(`contents cache: ignoring ${file}: not an analysis ${ANALYSIS_VERSION} summary of ${integrity}`);
      return undefined;
    }
    this.remember(integrity, value.summary);
    return value.summary;
  }

  private remember(integrity: string, summary: TarballSummary): void {
    this.memory.delete(integrity);
    this.memory.set(integrity, summary);
    while (this.memory.size > MAX_IN_MEMORY) this.memory.delete(this.memory.keys().next().value ?? '');
  }

  async set(summary: TarballSummary): Promise<void> {
    this.remember(summary.integrity, summary);
    const file = this.fileOf(summary.integrity);
    if (file === undefined || this.options.dir === undefined) return;
    const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const stored: StoredSummary = { analysisVersion: ANALYSIS_VERSION, integrity: summary.integrity, summary };
    try {
      await mkdir(join(this.options.dir, 'contents'), { recursive: true });
      await writeFile(temp, JSON.stringify(stored), 'utf8');
      await rename(temp, file);
    } catch (error) {
      this.options.log?.(`contents cache: cannot write ${file}: ${String(error)}`);
      await rm(temp, { force: true }).catch((cleanup: unknown) => this.options.log?.(`contents cache: cannot remove ${temp}: ${String(cleanup)}`));
    }
  }
}

function isStoredSummary(value: unknown, integrity: string): value is StoredSummary {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  const summary = record['summary'] as Record<string, unknown> | null | undefined;
  return (
    record['analysisVersion'] === ANALYSIS_VERSION &&
    record['integrity'] === integrity &&
    typeof summary === 'object' &&
    summary !== null &&
    summary['integrity'] === integrity &&
    ((summary['status'] === 'ok' && Array.isArray(summary['files'])) || (summary['status'] === 'not-inspected' && typeof summary['reason'] === 'string'))
  );
}
