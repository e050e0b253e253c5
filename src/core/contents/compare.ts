/** Compares two tarball summaries: files added, removed, grown or changed, the files install scripts run, and what the entry points reach. */

import { normalisePath } from './summarize';
import type { ChangedFile, ContentsDiff, FileFacts, InspectedTarball, InstallTarget, ManifestFacts, PublishedManifest } from './types';

const HOOKS = ['preinstall', 'install', 'postinstall'] as const;
/** Programs whose first non-option argument is the file they run. */
const RUNNERS = new Set(['node', 'nodejs', 'bun', 'deno', 'sh', 'bash', 'zsh', 'python', 'python3', 'tsx', 'ts-node']);
const MAX_REACHABLE = 20_000;

/**
 * The differences from `before` (undefined for a first release: every file counts as added) to
 * `after`. Install hooks come from the tarball's package.json, else from the registry's `published`
 * scripts (npm runs the tarball's). Reachability starts at `main` (default `index.js`), `exports`,
 * `bin` and the install targets, and follows literal relative `require`/`import` specifiers.
 */
export function compareTarballs(before: InspectedTarball | undefined, after: InspectedTarball, published?: PublishedManifest): ContentsDiff {
  const old = new Map((before?.files ?? []).map((file) => [file.path, file]));
  const now = new Map(after.files.map((file) => [file.path, file]));
  const added: string[] = [];
  const grown: ChangedFile[] = [];
  const changed: ChangedFile[] = [];
  for (const file of after.files) {
    const prior = old.get(file.path);
    if (prior === undefined) added.push(file.path);
    else if (prior.sha256 !== file.sha256) (file.size > prior.size ? grown : changed).push({ path: file.path, before: prior.size, after: file.size });
  }
  const removed = (before?.files ?? []).filter((file) => !now.has(file.path)).map((file) => file.path);
  const installTargets = findInstallTargets(before, after, published, old, now);
  const installFiles = installTargets.flatMap((target) => (target.file === undefined ? [] : [target.file]));
  const manifest = after.manifest;
  const entries = [manifest?.main ?? 'index.js', ...(manifest?.exports ?? []), ...Object.values(manifest?.bin ?? {})];
  const installReachable = reachFrom(after, installFiles);
  const reachable = [...new Set([...reachFrom(after, entries), ...installReachable])].sort();
  return { added, removed, grown, changed, installTargets, reachable, installReachable };
}

function scriptsOf(manifest: ManifestFacts | undefined, published: PublishedManifest | undefined): Readonly<Record<string, string>> {
  return manifest?.scripts ?? published?.scripts ?? {};
}

function findInstallTargets(
  before: InspectedTarball | undefined,
  after: InspectedTarball,
  published: PublishedManifest | undefined,
  old: ReadonlyMap<string, FileFacts>,
  now: ReadonlyMap<string, FileFacts>,
): InstallTarget[] {
  const scripts = scriptsOf(after.manifest, published);
  const previousScripts = before?.manifest?.scripts ?? {};
  const targets: InstallTarget[] = [];
  for (const hook of HOOKS) {
    let command = scripts[hook];
    // npm runs `node-gyp rebuild` as `install` for a package with binding.gyp and no install/preinstall.
    if (command === undefined && hook === 'install' && now.has('binding.gyp') && scripts['preinstall'] === undefined) command = 'node-gyp rebuild';
    if (command === undefined) continue;
    let previousCommand: string | undefined = previousScripts[hook];
    if (previousCommand === undefined && hook === 'install' && old.has('binding.gyp') && previousScripts['preinstall'] === undefined) previousCommand = 'node-gyp rebuild';
    const named = scriptFile(command);
    const file = named === undefined ? undefined : resolveFile(named, now);
    let fileStatus: InstallTarget['fileStatus'];
    if (named === undefined) fileStatus = 'none';
    else if (file === undefined) fileStatus = 'missing';
    else {
      const prior = old.get(file);
      fileStatus = prior === undefined ? 'new' : prior.sha256 === now.get(file)?.sha256 ? 'unchanged' : 'changed';
    }
    targets.push({
      hook,
      command,
      ...(previousCommand === undefined ? {} : { previousCommand }),
      ...(file !== undefined ? { file } : named !== undefined ? { file: named } : {}),
      fileStatus,
    });
  }
  return targets;
}

/**
 * The package file a script command runs, if it names one: `node setup_bun.js`, `node ./scripts/x.js || true`,
 * `bun run install.ts`, `sh ./install.sh`, `./install.sh`. Undefined for `node-gyp rebuild`, `node -e …` and the like.
 */
export function scriptFile(command: string): string | undefined {
  for (const segment of command.split(/&&|\|\||;|\|/)) {
    const tokens = segment.trim().split(/\s+/).filter((token) => token !== '');
    // Leading environment assignments (`FOO=1 node x.js`) are skipped.
    while (tokens.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(tokens[0] ?? '')) tokens.shift();
    const [program, ...args] = tokens.map(unquote);
    if (program === undefined) continue;
    if (/^\.{0,2}\//.test(program) || /\.(?:c?js|mjs|sh|ts)$/.test(program)) return normalisePath(program);
    if (!RUNNERS.has(program)) continue;
    if (args.some((arg) => arg === '-e' || arg === '--eval' || arg === '-p' || arg === '--print' || arg === '-c')) return undefined;
    const rest = args.filter((arg) => !arg.startsWith('-'));
    const first = (program === 'bun' || program === 'deno') && rest[0] === 'run' ? rest[1] : rest[0];
    if (first !== undefined) return normalisePath(first);
  }
  return undefined;
}

function unquote(token: string): string {
  return token.replace(/^(['"])(.*)\1$/, '$2');
}

/** Node's resolution of a path inside the package: as is, with an extension, or a folder's index. */
function resolveFile(path: string, files: ReadonlyMap<string, unknown>): string | undefined {
  const clean = normalisePath(path);
  for (const candidate of [clean, `${clean}.js`, `${clean}.cjs`, `${clean}.mjs`, `${clean}.json`, `${clean}/index.js`]) {
    if (files.has(candidate)) return candidate;
  }
  return undefined;
}

/** The files `starts` reach, themselves included, following literal relative requires and imports. */
export function reachFrom(after: InspectedTarball, starts: readonly string[]): string[] {
  const files = new Map(after.files.map((file) => [file.path, file]));
  const seen = new Set<string>();
  const queue: string[] = [];
  for (const start of starts) {
    const found = resolveFile(start, files);
    if (found !== undefined && !seen.has(found)) {
      seen.add(found);
      queue.push(found);
    }
  }
  while (queue.length > 0 && seen.size < MAX_REACHABLE) {
    const path = queue.shift() ?? '';
    const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    for (const specifier of files.get(path)?.code?.requires ?? []) {
      if (!specifier.startsWith('./') && !specifier.startsWith('../')) continue;
      const found = resolveFile(dir === '' ? specifier : `${dir}/${specifier}`, files);
      if (found !== undefined && !seen.has(found)) {
        seen.add(found);
        queue.push(found);
      }
    }
  }
  return [...seen].sort();
}
