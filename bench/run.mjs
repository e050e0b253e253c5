/**
 * `npm run bench`: audits a 2,000+ package npm lockfile against a loopback registry of synthetic,
 * realistically sized packuments; measures cold, warm and revalidating audits, memory, traffic and
 * cache size next to a floor and a peer (npm outdated), and the editor's activation, first
 * diagnostics and bundles; prints a table with budget verdicts and writes BENCHMARKS.md.
 *
 *   node bench/run.mjs             full run (< 10 min), writes BENCHMARKS.md
 *   node bench/run.mjs --smoke     tiny workload, one run of everything; fails only if the suite breaks
 *   options: --runs N, --peer-runs N, --no-write, --work DIR (default $BENCH_WORK_DIR or <tmp>/dependency-risk-bench)
 */

import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildProduction } from './lib/build.mjs';
import { ensurePackuments } from './lib/generate.mjs';
import { measure, median } from './lib/measure.mjs';
import { peerCommand, preparePeerProject } from './lib/peer.mjs';
import { formatConsole, formatMarkdown, kb, mb, ms, pct, ratio } from './lib/report.mjs';
import { loadWorkload, mergeWorkloads } from './lib/workload.mjs';

const REPO = dirname(dirname(new URL(import.meta.url).pathname));
/** The audits' clock: synthetic publish times lie before it. */
const NOW = new Date('2026-06-01T00:00:00.000Z');
const at = (minutes) => new Date(NOW.getTime() + minutes * 60_000).toISOString();
const CONCURRENCY = 16;

const { values: flags } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    runs: { type: 'string' },
    'peer-runs': { type: 'string' },
    'pnpm-runs': { type: 'string' },
    write: { type: 'boolean', default: true },
    work: { type: 'string' },
  },
  allowNegative: true,
});
const smoke = flags.smoke;
const runs = Number(flags.runs ?? (smoke ? 1 : 5));
const peerRuns = Number(flags['peer-runs'] ?? 1);
const pnpmRuns = Number(flags['pnpm-runs'] ?? (smoke ? 1 : 3));
const work = flags.work ?? process.env.BENCH_WORK_DIR ?? join(tmpdir(), 'dependency-risk-bench');
const workloadName = smoke ? 'small' : 'large';
const log = (line) => process.stderr.write(`${line}\n`);

/** A failed step ends the suite with exit code 1: this is what the CI smoke run guards. */
function check(condition, message) {
  if (!condition) throw new Error(`bench: ${message}`);
}

async function startServer(dir) {
  const child = spawn(process.execPath, [join(REPO, 'bench/lib/server.mjs'), dir], { stdio: ['pipe', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`bench registry exited with ${code}`)));
    child.stdout.once('data', (chunk) => resolve(String(chunk).trim()));
  });
  const call = async (path) => (await fetch(`${url}-/bench/${path}`)).json();
  return { url, stats: () => call('stats'), reset: () => call('reset'), stop: () => child.stdin.end() };
}

function folderBytes(dir) {
  return readdirSync(dir).reduce((sum, file) => sum + statSync(join(dir, file)).size, 0);
}

async function main() {
  const startedAt = new Date();
  mkdirSync(work, { recursive: true });
  log(`bench: ${smoke ? 'smoke' : 'full'} run, ${runs} run(s) per figure, work folder ${work}`);

  // Everything one run writes lives in its own folder: runs side by side (CI's smoke run beside a
  // full run) must not share caches. Only the generated packuments, keyed by their inputs, are shared.
  const scratch = mkdtempSync(join(work, 'run-'));
  process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
  log('bench: building the production bundles');
  const build = buildProduction(REPO, scratch);
  const cli = join(build.dist, 'cli.js');

  const workload = loadWorkload(join(REPO, 'bench/workloads', workloadName));
  const pnpmWorkload = loadWorkload(join(REPO, 'bench/workloads', `${workloadName}-pnpm`));
  for (const w of [workload, pnpmWorkload]) {
    log(`bench: workload ${w.dir} (${w.manager}): ${w.direct} direct dependencies, ${w.locked} locked packages, ${w.names.size} names`);
  }
  const registryDir = join(work, `packuments-${workloadName}`);
  const index = ensurePackuments({ workload: mergeWorkloads([workload, pnpmWorkload]), dir: registryDir, now: NOW, ...(smoke ? { maxBytes: 256 * 1024 } : {}), log });
  const documents = [...workload.names.keys()].map((name) => index.documents[name]);
  const packumentBytes = documents.reduce((sum, d) => sum + d.bytes, 0);
  const biggest = Math.max(...documents.map((d) => d.bytes));
  const namesFileOf = (w) => {
    const file = join(scratch, `names-${w.manager}-${workloadName}.json`);
    writeFileSync(file, JSON.stringify([...w.names.keys()].sort()));
    return file;
  };
  const namesFile = namesFileOf(workload);
  const pnpmNamesFile = namesFileOf(pnpmWorkload);
  const npmrc = join(scratch, 'empty-npmrc');
  writeFileSync(npmrc, '');

  const server = await startServer(registryDir);
  const samples = { floor: [], cold: [], warm: [], revalidate: [], peer: [], activation: [], editorLock: [], editorDirect: [], pnpmFloor: [], pnpmCold: [], pnpmWarm: [] };
  const traffic = {};
  let cacheBytes = NaN;
  let cacheFiles = 0;
  const audit = async (kind, cacheDir, now, target = workload) => {
    await server.reset();
    const out = join(scratch, `report-${kind}.json`);
    const sample = await measure(process.execPath, [cli, 'audit', target.dir, '--registry', server.url, '--now', now, '--format', 'json'], {
      env: { CI: '1', NO_COLOR: '1', DEPENDENCY_RISK_CACHE_DIR: cacheDir, npm_config_userconfig: npmrc },
      stdoutFile: out,
    });
    check(sample.code === 0 || sample.code === 1, `${kind} audit exited with ${sample.code}: ${sample.stderr.slice(0, 2000)}`);
    const report = JSON.parse(readFileSync(out, 'utf8'));
    const unchecked = report.packages.filter((p) => !p.checked);
    check(report.packages.length > 0 && unchecked.length === 0 && report.errors.length === 0, `${kind} audit left ${unchecked.length} packages unchecked, errors: ${JSON.stringify(report.errors.slice(0, 3))}`);
    check(report.lockfile?.manager === target.manager, `${kind} audit read ${report.lockfile?.file ?? 'no lockfile'}, not the ${target.manager} lockfile`);
    traffic[kind] = await server.stats();
    return sample;
  };

  try {
    for (let round = 1; round <= runs; round++) {
      log(`bench: round ${round}/${runs} (load ${loadavg()[0].toFixed(2)})`);
      await server.reset();
      const floor = await measure(process.execPath, [join(REPO, 'bench/lib/floor.mjs'), server.url, namesFile, String(CONCURRENCY)]);
      check(floor.code === 0, `floor exited with ${floor.code}: ${floor.stderr.slice(0, 2000)}`);
      traffic.floor = await server.stats();
      samples.floor.push(floor);

      const cache = join(scratch, 'cache-cold');
      rmSync(cache, { recursive: true, force: true });
      samples.cold.push(await audit('cold', cache, at(0)));
      cacheBytes = folderBytes(cache);
      cacheFiles = readdirSync(cache).length;
      samples.warm.push(await audit('warm', cache, at(1)));
      const stale = join(scratch, 'cache-stale');
      rmSync(stale, { recursive: true, force: true });
      cpSync(cache, stale, { recursive: true });
      samples.revalidate.push(await audit('revalidate', stale, at(60)));
    }
    check(traffic.cold.documents === workload.names.size, `cold audit fetched ${traffic.cold.documents} documents for ${workload.names.size} packages`);
    check(traffic.warm.requests === 0, `warm audit sent ${traffic.warm.requests} requests`);
    check(traffic.revalidate.notModified === workload.names.size, `revalidation got ${traffic.revalidate.notModified} 304s for ${workload.names.size} packages`);

    for (let round = 1; round <= pnpmRuns; round++) {
      log(`bench: pnpm round ${round}/${pnpmRuns} (load ${loadavg()[0].toFixed(2)})`);
      await server.reset();
      const floor = await measure(process.execPath, [join(REPO, 'bench/lib/floor.mjs'), server.url, pnpmNamesFile, String(CONCURRENCY)]);
      check(floor.code === 0, `floor exited with ${floor.code}: ${floor.stderr.slice(0, 2000)}`);
      samples.pnpmFloor.push(floor);
      const cache = join(scratch, 'cache-pnpm');
      rmSync(cache, { recursive: true, force: true });
      samples.pnpmCold.push(await audit('pnpm-cold', cache, at(0), pnpmWorkload));
      samples.pnpmWarm.push(await audit('pnpm-warm', cache, at(1), pnpmWorkload));
    }
    check(traffic['pnpm-cold'].documents === pnpmWorkload.names.size, `pnpm cold audit fetched ${traffic['pnpm-cold'].documents} documents for ${pnpmWorkload.names.size} packages`);

    const peerDir = preparePeerProject(workload.dir, join(scratch, `peer-${workloadName}`));
    for (let round = 1; round <= peerRuns; round++) {
      log(`bench: peer run ${round}/${peerRuns} (npm outdated; load ${loadavg()[0].toFixed(2)})`);
      const npmCache = join(scratch, 'npm-cache');
      rmSync(npmCache, { recursive: true, force: true });
      await server.reset();
      const [command, args] = peerCommand(server.url, npmCache);
      const sample = await measure(command, args, { cwd: peerDir, env: { npm_config_userconfig: npmrc, CI: '1' } });
      // npm outdated exits 1 when something is outdated; anything else is a failure.
      check(sample.code === 0 || sample.code === 1, `npm outdated exited with ${sample.code}: ${sample.stderr.slice(0, 2000)}`);
      traffic.peer = await server.stats();
      samples.peer.push(sample);
    }

    log('bench: editor');
    const directOnly = join(scratch, 'direct-only');
    mkdirSync(directOnly, { recursive: true });
    cpSync(join(workload.dir, 'package.json'), join(directOnly, 'package.json'));
    for (let round = 1; round <= runs; round++) {
      const activation = await measure(process.execPath, [join(REPO, 'bench/lib/activation.cjs'), join(build.dist, 'extension.js')]);
      check(activation.code === 0, `activation failed: ${activation.stderr.slice(0, 2000)}`);
      const result = JSON.parse(activation.stdout);
      check(result.controlCounted === true, 'the activation probe did not see its control request');
      samples.activation.push(result);
      for (const [key, dir] of [['editorLock', workload.dir], ['editorDirect', directOnly]]) {
        const editor = await measure(process.execPath, ['--import', 'tsx', join(REPO, 'bench/lib/editor-path.ts'), dir, join(scratch, 'cache-cold'), at(1), server.url, '5'], { cwd: REPO });
        check(editor.code === 0, `editor path failed: ${editor.stderr.slice(0, 2000)}`);
        const parsed = JSON.parse(editor.stdout);
        check(parsed.unchecked === 0 && parsed.errors === 0, `editor path left ${parsed.unchecked} packages unchecked`);
        samples[key].push({ ...parsed, load1: editor.load1 });
      }
    }
  } finally {
    server.stop();
  }

  const names = workload.names.size;
  const wall = (list) => median(list.map((s) => s.wallMs));
  const rss = (list) => median(list.map((s) => s.maxRssBytes));
  const cpu = (list) => median(list.map((s) => s.cpuMs));
  const load = (list) => median(list.map((s) => s.load1));
  const floorMs = wall(samples.floor);
  const coldMs = wall(samples.cold);
  const peerMs = wall(samples.peer);
  const detail = (list) => `CPU ${ms(cpu(list))}, RSS ${mb(rss(list))}, load ${load(list).toFixed(1)}, n=${list.length}`;
  const perPackage = (t) => t === undefined ? 'n/a' : `${(t.requests / names).toFixed(2)} req, ${kb(t.bodyBytes / names)} on the wire, ${kb(t.documentBytes / names)} JSON`;
  const activationMs = median(samples.activation.map((a) => a.totalMs));
  const activationNetwork = Math.max(...samples.activation.map((a) => a.networkDuringActivation));
  const afterNetwork = Math.max(...samples.activation.map((a) => a.networkAfter1500ms));
  const chunks = [...new Set(samples.activation.flatMap((a) => a.chunksAfter1500ms))];
  const editorFirst = (key) => median(samples[key].map((s) => s.firstMs));
  const editorRepeat = (key) => median(samples[key].flatMap((s) => s.repeatMs));
  const extensionBytes = build.sizes['extension.js'];
  const cacheRatio = cacheBytes / traffic.cold.documentBytes;

  const sections = [
    {
      title: `Audit: ${workload.direct} direct dependencies, ${workload.locked} locked packages (${names} names), ${mb(packumentBytes)} of packuments (largest ${mb(biggest)})`,
      rows: [
        { label: 'cold audit (empty cache)', value: ms(coldMs), detail: `${detail(samples.cold)}; ${ratio(coldMs / floorMs)} the floor` },
        { label: 'warm audit (cache valid)', value: ms(wall(samples.warm)), detail: detail(samples.warm), budget: '≤ 0.5 s', ok: wall(samples.warm) <= 500 },
        { label: 'revalidation (stale cache, 304s)', value: ms(wall(samples.revalidate)), detail: detail(samples.revalidate), budget: '≤ 2 s', ok: wall(samples.revalidate) <= 2000 },
        { label: 'peak RSS, cold audit', value: mb(rss(samples.cold)), detail: `largest packument ${mb(biggest)}`, budget: '≤ 250 MB', ok: rss(samples.cold) <= 250 * 1024 * 1024 },
        { label: 'cold: per package', value: perPackage(traffic.cold), detail: `${traffic.cold.requests} requests, ${mb(traffic.cold.bodyBytes)} on the wire` },
        { label: 'revalidation: per package', value: perPackage(traffic.revalidate), detail: `${traffic.revalidate.notModified} × 304` },
        { label: 'cache on disk', value: mb(cacheBytes), detail: `${cacheFiles} files; ${pct(cacheRatio)} of the packuments`, budget: '≤ 5 %', ok: cacheRatio <= 0.05 },
      ],
    },
    {
      title: `Audit of pnpm-lock.yaml: the same ${pnpmWorkload.direct} dependencies locked by pnpm (${pnpmWorkload.locked} packages, ${pnpmWorkload.names.size} names)`,
      rows: [
        { label: 'pnpm: cold audit (empty cache)', value: ms(wall(samples.pnpmCold)), detail: detail(samples.pnpmCold) },
        { label: 'pnpm: floor for these packages', value: ms(wall(samples.pnpmFloor)), detail: detail(samples.pnpmFloor) },
        { label: 'pnpm: cold audit / floor', value: ratio(wall(samples.pnpmCold) / wall(samples.pnpmFloor)), budget: '≤ 1.3×', ok: wall(samples.pnpmCold) <= 1.3 * wall(samples.pnpmFloor) },
        { label: 'pnpm: warm audit (cache valid)', value: ms(wall(samples.pnpmWarm)), detail: detail(samples.pnpmWarm), budget: '≤ 0.5 s', ok: wall(samples.pnpmWarm) <= 500 },
        { label: 'pnpm: peak RSS, cold audit', value: mb(rss(samples.pnpmCold)), budget: '≤ 250 MB', ok: rss(samples.pnpmCold) <= 250 * 1024 * 1024 },
      ],
    },
    {
      title: 'Reference points (same run, same registry, same workload)',
      rows: [
        { label: 'floor: download + JSON.parse', value: ms(floorMs), detail: `${detail(samples.floor)}; ${perPackage(traffic.floor)}` },
        { label: 'peer: npm outdated --all', value: ms(peerMs), detail: `${detail(samples.peer)}; ${perPackage(traffic.peer)}` },
        { label: 'cold audit / floor', value: ratio(coldMs / floorMs), budget: '≤ 1.3×', ok: coldMs / floorMs <= 1.3 },
        { label: 'cold audit / peer', value: ratio(coldMs / peerMs) },
        { label: 'peer / floor', value: ratio(peerMs / floorMs) },
        { label: 'peak RSS: audit / floor / peer', value: `${mb(rss(samples.cold))} / ${mb(rss(samples.floor))} / ${mb(rss(samples.peer))}` },
      ],
    },
    {
      title: 'Editor',
      rows: [
        {
          label: 'activation (require + activate)',
          value: ms(activationMs),
          detail: `activate alone ${ms(median(samples.activation.map((a) => a.activateMs)))}; network calls ${activationNetwork} during, ${afterNetwork} in 1.5 s after; lazy chunks loaded: ${chunks.length ? chunks.join(', ') : 'none'}; n=${samples.activation.length}`,
          budget: '≤ 20 ms, no network',
          ok: activationMs <= 20 && activationNetwork === 0 && afterNetwork === 0 && chunks.length === 0,
        },
        {
          label: `open package.json (${workload.direct} deps + lockfile) → findings`,
          value: ms(editorFirst('editorLock')),
          detail: `${samples.editorLock[0].packages} packages; after an edit (facts in memory) ${ms(editorRepeat('editorLock'))}; load ${load(samples.editorLock).toFixed(1)}`,
          budget: '≤ 100 ms',
          ok: editorFirst('editorLock') <= 100,
        },
        {
          label: `open package.json (${workload.direct} deps, no lockfile) → findings`,
          value: ms(editorFirst('editorDirect')),
          detail: `${samples.editorDirect[0].packages} packages; after an edit ${ms(editorRepeat('editorDirect'))}`,
          budget: '≤ 100 ms',
          ok: editorFirst('editorDirect') <= 100,
        },
        { label: 'typing', value: 'debounced', detail: 'no request per keystroke: 250 ms cache-only, 1.5 s registry (test/integration/suites/typing.test.ts)' },
        { label: 'dist/extension.js', value: kb(extensionBytes), detail: 'production build', budget: '≤ 300 KB', ok: extensionBytes <= 300 * 1024 },
        ...Object.entries(build.sizes)
          .filter(([file]) => file !== 'extension.js')
          .map(([file, size]) => ({ label: `dist/${file}`, value: kb(size), detail: file === 'cli.js' ? 'CLI entry' : 'lazily loaded chunk' })),
      ],
    },
  ];

  const machine = [
    `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${(totalmem() / 1024 ** 3).toFixed(1)} GB RAM`,
    `Node ${process.version}, npm ${await npmVersion()}`,
    `${startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC; load average at start ${loadavg().map((l) => l.toFixed(2)).join(', ')}; whole run ${ms(Date.now() - startedAt.getTime())}`,
  ];
  const notes = [
    `Runs per figure: ${runs} (peer: ${peerRuns}, as one npm outdated run takes minutes).`,
    `Runs of the pnpm workload: ${pnpmRuns}.`,
  ];
  process.stdout.write(`${formatConsole(sections)}\n\n${machine.join('\n')}\n`);
  const missed = sections.flatMap((s) => s.rows).filter((r) => r.ok === false);
  process.stdout.write(`\n${missed.length === 0 ? 'every budget met' : `budgets missed: ${missed.map((r) => r.label).join('; ')}`}\n`);
  if (!smoke && flags.write) {
    writeFileSync(join(REPO, 'BENCHMARKS.md'), formatMarkdown({ sections, machine, notes }));
    log('bench: wrote BENCHMARKS.md');
  }
}

async function npmVersion() {
  const sample = await measure('npm', ['--version']);
  return sample.stdout.trim();
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
