/** Turns bench results into the console table, the budget verdicts and BENCHMARKS.md. */

const MB = 1024 * 1024;

export const ms = (value) => (Number.isFinite(value) ? (value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(value < 10 ? 1 : 0)} ms`) : 'n/a');
export const mb = (value) => (Number.isFinite(value) ? `${(value / MB).toFixed(value < 10 * MB ? 1 : 0)} MB` : 'n/a');
export const kb = (value) => (Number.isFinite(value) ? `${(value / 1024).toFixed(0)} KB` : 'n/a');
export const ratio = (value) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a');
export const pct = (value) => (Number.isFinite(value) ? `${(value * 100).toFixed(1)} %` : 'n/a');

/**
 * @typedef {{ label: string, value: string, detail?: string, budget?: string, ok?: boolean }} Row
 * @typedef {{ title: string, rows: Row[] }} Section
 */

function verdict(row) {
  if (row.ok === undefined) return '';
  return row.ok ? 'met' : 'MISSED';
}

/** A fixed-width table for the terminal. */
export function formatConsole(sections) {
  const lines = [];
  for (const section of sections) {
    lines.push('', section.title);
    const width = Math.max(...section.rows.map((r) => r.label.length));
    const valueWidth = Math.max(...section.rows.map((r) => r.value.length));
    for (const row of section.rows) {
      const budget = row.budget === undefined ? '' : `  budget ${row.budget}: ${verdict(row)}`;
      lines.push(`  ${row.label.padEnd(width)}  ${row.value.padStart(valueWidth)}${row.detail ? `  (${row.detail})` : ''}${budget}`);
    }
  }
  return lines.join('\n');
}

const escapeCell = (text) => String(text).replace(/\|/g, '\\|');

/** BENCHMARKS.md: the machine, the tables, and how to read them. */
export function formatMarkdown({ sections, machine, notes }) {
  const out = [
    '# Benchmarks',
    '',
    'Written by `npm run bench` (bench/run.mjs); do not edit by hand. Each figure is the median of the',
    'runs shown; the load average is the machine\'s 1-minute load at the start of each run (median),',
    'because a loaded machine slows every figure alike.',
    '',
    '## Machine',
    '',
    ...machine.map((line) => `- ${line}`),
    '',
  ];
  for (const section of sections) {
    out.push(`## ${section.title}`, '', '| figure | value | detail | budget | |', '|---|---:|---|---|---|');
    for (const row of section.rows) out.push(`| ${escapeCell(row.label)} | ${escapeCell(row.value)} | ${escapeCell(row.detail ?? '')} | ${escapeCell(row.budget ?? '')} | ${verdict(row)} |`);
    out.push('');
  }
  if (notes.length > 0) out.push('## Notes from this run', '', ...notes.map((n) => `- ${n}`), '');
  out.push(HOW_TO_READ);
  return `${out.join('\n')}\n`;
}

const HOW_TO_READ = `## How to read

- **Workload.** \`bench/workloads/large\` is a package.json of 150 popular packages and the
  package-lock.json that npm generated for it (\`npm install --package-lock-only --ignore-scripts\`).
  Every locked package gets a synthetic packument (bench/lib/synth.mjs): same name and locked
  versions, with a version count and size drawn from a long-tailed distribution (most 10 KB-1 MB,
  a few 10-20 MB with thousands of versions, like next, typescript, @types/node), with every field
  a real full packument has (\`time\`, \`_npmUser\`, \`maintainers\`, \`scripts\`, \`dist\` with
  integrity, signatures and attestations, per-version readmes). They are served gzipped from disk by
  a loopback registry (bench/lib/server.mjs) that counts requests and bytes.
- **Floor.** bench/lib/floor.mjs downloads and \`JSON.parse\`s every needed packument, 16 at a time
  (the client's concurrency), and does nothing else: no cold audit can be faster.
- **Peer.** \`npm outdated --all --json\` against the same registry, with an empty npm cache, on an
  installed copy of the tree (package.json stubs laid out from the lockfile). It is the npm command
  that asks the registry about every package of an installed tree, as the audit does; it asks per
  dependency edge, so it makes more requests than there are packages.
- **Cold** is \`dependency-risk audit\` (the production CLI bundle) with an empty cache; **warm** is
  the same with every cached history younger than the 5-minute revalidation age; **revalidation** is
  with every cached history older than that, so each package is asked again with its ETag and the
  registry answers 304. Wall time includes Node's start-up. Peak RSS is the process's maximum
  resident set size (\`process.resourceUsage().maxRSS\`).
- **Cache size** is the sum of the cache files' sizes; the ratio divides it by the uncompressed
  packument bytes the cold audit downloaded.
- **Activation** loads the production dist/extension.js in plain Node with a minimal fake \`vscode\`
  module and times \`require\` plus \`activate\`; every socket, DNS and HTTP call is counted (a control
  request proves the counters work) and the lazy chunks must stay unloaded, during activation and for
  1.5 s after it (past the first workspace scan).
- **Diagnostics after opening package.json** times the core path the editor runs first: the
  Analyzer's cache-only audit on a warm disk cache (\`auditProject\` with an offline registry client,
  fix plans included), in a new process (facts read from disk) and again on the same client (facts
  in memory, as after an edit). It is measured for the 150-dependency package.json with its 2,000+
  package lockfile and for the same package.json without a lockfile. Turning the report into
  VS Code diagnostics is not included.
- **Typing** never sends a request per keystroke: the editor waits 250 ms after the last edit for a
  cache-only audit and 1.5 s for the registry (src/extension/projects.ts); the integration suite's
  typing test checks the request log. The bench does not time it.
- **Bundles** are the production build (\`npm run build -- --production\`, what \`vsce package\` ships).
`;
