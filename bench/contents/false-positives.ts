/**
 * Measures how often the content rules fire on normal releases: the most-depended-on packages of a
 * real lockfile, each locked version inspected against the release before it on the same line.
 *
 *   npx tsx bench/contents/false-positives.ts [--lockfile package-lock.json] [--top 100] [--registry URL] [--json out.json]
 *
 * Reaches the registry (the one given, else npm's default); tarballs are read in memory and their
 * summaries cached in a temporary folder that is removed at the end. Prints a Markdown report.
 */

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import semver from 'semver';
import { createInspector, type PackageInspection } from '../../src/core/contents/inspect';

interface Options {
  lockfile: string;
  top: number;
  registry: string;
  json?: string;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { lockfile: 'package-lock.json', top: 100, registry: 'https://registry.npmjs.org/' };
  for (let i = 0; i < argv.length; i++) {
    const value = argv[i + 1] ?? '';
    if (argv[i] === '--lockfile') options.lockfile = value;
    else if (argv[i] === '--top') options.top = Number(value);
    else if (argv[i] === '--registry') options.registry = value;
    else if (argv[i] === '--json') options.json = value;
    else continue;
    i++;
  }
  return options;
}

/** name -> [locked version, number of lockfile entries that depend on it]. */
async function mostDependedOn(lockfile: string, top: number): Promise<Array<{ name: string; version: string; dependents: number }>> {
  const lock = JSON.parse(await readFile(lockfile, 'utf8')) as { packages?: Record<string, { version?: string; dependencies?: Record<string, string>; link?: boolean }> };
  const versions = new Map<string, string>();
  const dependents = new Map<string, number>();
  for (const [key, entry] of Object.entries(lock.packages ?? {})) {
    const match = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)$/.exec(key);
    if (match?.[1] !== undefined && entry.version !== undefined && entry.link !== true && !versions.has(match[1])) versions.set(match[1], entry.version);
    for (const dep of Object.keys(entry.dependencies ?? {})) dependents.set(dep, (dependents.get(dep) ?? 0) + 1);
  }
  return [...versions.entries()]
    .map(([name, version]) => ({ name, version, dependents: dependents.get(name) ?? 0 }))
    .sort((a, b) => b.dependents - a.dependents || a.name.localeCompare(b.name))
    .slice(0, top);
}

/**
 * The highest published version below `version` on its line (same major; same minor for 0.x), else the
 * highest below it on any line (the predecessor of an x.0.0). Semver order, since mirrors may scramble
 * publish times.
 */
async function previousOnLine(registry: string, name: string, version: string): Promise<string | undefined> {
  const response = await fetch(`${registry.replace(/\/?$/, '/')}${name.replace('/', '%2f')}`, { headers: { accept: 'application/vnd.npm.install-v1+json' } });
  if (!response.ok) return undefined;
  const doc = (await response.json()) as { versions?: Record<string, unknown> };
  const lower = Object.keys(doc.versions ?? {}).filter((v) => semver.valid(v) !== null && semver.prerelease(v) === null && semver.lt(v, version));
  const sameLine = lower.filter((v) => semver.major(v) === semver.major(version) && (semver.major(v) !== 0 || semver.minor(v) === semver.minor(version)));
  return (sameLine.length > 0 ? sameLine : lower).sort(semver.rcompare)[0];
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const cacheDir = await mkdtemp(join(tmpdir(), 'dr-fp-'));
  const inspector = createInspector({ registry: options.registry, cacheDir });
  const packages = await mostDependedOn(options.lockfile, options.top);
  const results: Array<{ name: string; version: string; against?: string; ms: number; result?: PackageInspection; error?: string }> = [];
  const queue = [...packages];
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
      const started = performance.now();
      try {
        const against = await previousOnLine(options.registry, next.name, next.version);
        const result = await inspector.inspect(next.name, next.version, against);
        results.push({ name: next.name, version: next.version, ...(against === undefined ? {} : { against }), ms: performance.now() - started, result });
      } catch (error) {
        results.push({ name: next.name, version: next.version, ms: performance.now() - started, error: String(error) });
      }
      process.stderr.write(`\r${results.length}/${packages.length}`);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  process.stderr.write('\n');
  await rm(cacheDir, { recursive: true, force: true });

  const compared = results.filter((r) => r.result?.diff !== undefined && r.against !== undefined);
  const byRule = new Map<string, { error: Set<string>; warning: Set<string>; info: Set<string> }>();
  for (const r of compared) {
    for (const f of r.result?.findings ?? []) {
      const entry = byRule.get(f.rule) ?? { error: new Set(), warning: new Set(), info: new Set() };
      entry[f.severity].add(`${r.name}@${r.version}`);
      byRule.set(f.rule, entry);
    }
  }
  const errorPackages = new Set(compared.filter((r) => r.result?.findings.some((f) => f.severity === 'error')).map((r) => `${r.name}@${r.version}`));
  const rate = (n: number) => (compared.length === 0 ? '–' : `${((100 * n) / compared.length).toFixed(1)} %`);
  const times = compared.map((r) => r.ms).sort((a, b) => a - b);
  const lines = [
    `Packages: ${packages.length} most depended on in ${options.lockfile}; compared with a predecessor: ${compared.length}; not inspected or no predecessor: ${results.length - compared.length}.`,
    `Error-level content findings: ${errorPackages.size} packages (${rate(errorPackages.size)}).`,
    `Inspection time per pair (download included): median ${Math.round(times[Math.floor(times.length / 2)] ?? 0)} ms, p90 ${Math.round(times[Math.floor(times.length * 0.9)] ?? 0)} ms.`,
    '',
    '| rule | error | warning | info |',
    '|---|---|---|---|',
    ...[...byRule.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([rule, s]) => `| ${rule} | ${s.error.size} (${rate(s.error.size)}) | ${s.warning.size} | ${s.info.size} |`),
    '',
    ...compared.flatMap((r) => (r.result?.findings ?? []).filter((f) => f.severity !== 'info').map((f) => `- ${f.severity} ${f.rule}: ${f.message.slice(0, 300)}`)),
    ...results.filter((r) => r.error !== undefined || (r.result?.errors.length ?? 0) > 0).map((r) => `- not inspected ${r.name}@${r.version}: ${r.error ?? r.result?.errors.map((e) => e.message).join('; ')}`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (options.json !== undefined) await writeFile(options.json, JSON.stringify(results.map((r) => ({ ...r, result: r.result === undefined ? undefined : { findings: r.result.findings, errors: r.result.errors } })), null, 2));
}

void main();
