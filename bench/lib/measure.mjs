/** Runs one measured child process (wall time, peak RSS, CPU time via probe.cjs) and summarises samples. */

import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const PROBE = new URL('./probe.cjs', import.meta.url).pathname;

/**
 * @typedef {{ wallMs: number, maxRssBytes: number, cpuMs: number, code: number | null, stdout: string, stderr: string, load1: number }} Sample
 */

/**
 * Spawns `command args` with the probe preloaded into every Node process it starts (NODE_OPTIONS),
 * waits for it, and returns wall time, peak RSS, CPU time, exit code and output. `stdoutFile`
 * sends stdout to a file instead of memory (reports of thousands of packages).
 *
 * @param {string} command
 * @param {readonly string[]} args
 * @param {{ cwd?: string, env?: Record<string, string | undefined>, stdoutFile?: string }} [options]
 * @returns {Promise<Sample>}
 */
export async function measure(command, args, options = {}) {
  const probeDir = mkdtempSync(join(tmpdir(), 'dr-bench-probe-'));
  const probeFile = join(probeDir, 'usage.json');
  const stdoutFd = options.stdoutFile === undefined ? undefined : openSync(options.stdoutFile, 'w');
  const env = {
    ...process.env,
    ...options.env,
    NODE_OPTIONS: `${options.env?.NODE_OPTIONS ?? ''} --require=${PROBE}`.trim(),
    BENCH_PROBE_FILE: probeFile,
  };
  const load1 = loadavg()[0];
  const started = performance.now();
  const child = spawn(command, args, { cwd: options.cwd, env, stdio: ['ignore', stdoutFd ?? 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const code = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  const wallMs = performance.now() - started;
  if (stdoutFd !== undefined) closeSync(stdoutFd);
  let usage = { maxRssBytes: NaN, userMs: NaN, systemMs: NaN };
  try {
    usage = JSON.parse(readFileSync(probeFile, 'utf8'));
  } catch {
    // The child died before its exit handler ran: the caller sees the exit code and NaN usage.
  }
  rmSync(probeDir, { recursive: true, force: true });
  return { wallMs, maxRssBytes: usage.maxRssBytes, cpuMs: usage.userMs + usage.systemMs, code, stdout, stderr, load1 };
}

export function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
