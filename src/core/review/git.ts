/**
 * Reads a git repository's revisions for `diff`: the tree of a commit, the index, or the working tree.
 * `git` runs with fixed arguments; a ref from the user reaches it only after `--end-of-options`, and
 * everything else is passed as the commit id that ref resolved to. Nothing from the repository runs.
 */

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isDependencyFile } from './files';
import type { RevisionInfo } from './types';

/** A file larger than this is not read (a lockfile of a very large monorepo is tens of MB). */
const MAX_FILE_BYTES = 256 * 1024 * 1024;
/** What `git ls-tree` of a huge repository may print. */
const MAX_LISTING_BYTES = 512 * 1024 * 1024;

/** A failure to read the repository, with a message for people (never a stack). */
export class GitReviewError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'GitReviewError';
  }
}

/** One revision's files, as the review reads them. Paths are relative to the repository root, with `/`. */
export interface RevisionFiles {
  readonly info: RevisionInfo;
  /** Every dependency file (see files.ts) -> a content id (its git blob id), to tell which ones changed. */
  readonly files: ReadonlyMap<string, string>;
  /** A file's text; undefined when it is missing, not a regular file, or too large. */
  read(path: string): Promise<string | undefined>;
  /** The sub-folder names of a folder ('' for the root). */
  listDirs(path: string): Promise<readonly string[]>;
}

export interface Repository {
  /** The repository's root folder (absolute). */
  readonly root: string;
  /** Resolves a ref to a commit id; throws GitReviewError naming `fetch-depth` when a shallow clone lacks it. */
  resolveCommit(ref: string): Promise<string>;
  /** The merge base of two commits; throws GitReviewError (naming `fetch-depth` in a shallow clone) when there is none. */
  mergeBase(a: string, b: string, labels: readonly [string, string]): Promise<string>;
  commit(commit: string, ref: string): Promise<RevisionFiles>;
  index(): Promise<RevisionFiles>;
  worktree(): Promise<RevisionFiles>;
}

export interface GitDeps {
  /** Environment for git (`PATH`, `HOME`, `GIT_*`); the process's by default. */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

// A ref as people write them: names, `origin/main`, `HEAD~2`, `main^`, `@{upstream}`, commit ids.
// No leading `-` (an option), no whitespace or control characters, no `..` ranges, no `:` paths.
const REF = /^(?!-)(?!.*\.\.)[A-Za-z0-9_@][A-Za-z0-9_./@{}~^+-]{0,255}$/;

/** Is `ref` something `diff` passes to git (after `--end-of-options`)? */
export function isAcceptableRef(ref: string): boolean {
  return REF.test(ref);
}

/**
 * Opens the repository that contains `dir`. Throws GitReviewError when git is missing or `dir` is
 * not inside a work tree.
 */
export async function openRepository(dir: string, deps: GitDeps = {}): Promise<Repository> {
  const env = gitEnv(deps.env);
  const top = (await git(dir, ['rev-parse', '--show-toplevel'], env).catch((error: unknown) => {
    throw new GitReviewError(`${dir} is not inside a git work tree (${describeGitError(error)}); run diff in a clone of the repository.`, { cause: error });
  })).toString('utf8').trim();
  const run = (args: readonly string[], maxBuffer?: number) => git(top, args, env, maxBuffer);

  const isShallow = async (): Promise<boolean> => (await run(['rev-parse', '--is-shallow-repository'])).toString('utf8').trim() === 'true';
  const shallowAdvice = (what: string) =>
    `${what} is not in this clone, which is shallow. Fetch the history the comparison needs: in GitHub Actions set \`fetch-depth: 0\` on actions/checkout ` +
    '(or fetch the base branch with enough depth, e.g. `git fetch --deepen=100 origin <base>`), then run diff again.';

  const resolveCommit = async (ref: string): Promise<string> => {
    if (!isAcceptableRef(ref)) throw new GitReviewError(`'${ref.slice(0, 80)}' is not a git revision diff accepts (a branch, tag, commit id, or HEAD~n).`);
    try {
      return (await run(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`])).toString('utf8').trim();
    } catch (error) {
      if (await isShallow()) throw new GitReviewError(shallowAdvice(`The revision '${ref}'`), { cause: error });
      throw new GitReviewError(`'${ref}' is not a commit in ${top}; check the name, or fetch it first (git fetch origin ${ref}).`, { cause: error });
    }
  };

  const mergeBase = async (a: string, b: string, labels: readonly [string, string]): Promise<string> => {
    try {
      return (await run(['merge-base', a, b])).toString('utf8').trim();
    } catch (error) {
      if (await isShallow()) throw new GitReviewError(shallowAdvice(`The merge base of '${labels[0]}' and '${labels[1]}'`), { cause: error });
      throw new GitReviewError(`'${labels[0]}' and '${labels[1]}' have no common ancestor; compare them directly with --head.`, { cause: error });
    }
  };

  const commit = async (id: string, ref: string): Promise<RevisionFiles> => {
    const listing = await run(['ls-tree', '-r', '-z', '--full-tree', id], MAX_LISTING_BYTES);
    const blobs = new Map<string, string>();
    for (const record of splitZ(listing)) {
      // `<mode> <type> <object>\t<path>`: regular files only (no symlinks, no submodules).
      const match = /^(100644|100755) blob ([0-9a-f]{40,64})\t(.+)$/s.exec(record);
      if (match) blobs.set(match[3]!, match[2]!);
    }
    return gitRevision({ ref, commit: id, kind: 'commit' }, blobs, run);
  };

  const index = async (): Promise<RevisionFiles> => {
    const listing = await run(['ls-files', '-s', '-z', '--full-name'], MAX_LISTING_BYTES);
    const blobs = new Map<string, string>();
    for (const record of splitZ(listing)) {
      // `<mode> <object> <stage>\t<path>`; stages 1-3 are an unresolved merge, which has no single content.
      const match = /^(100644|100755) ([0-9a-f]{40,64}) 0\t(.+)$/s.exec(record);
      if (match) blobs.set(match[3]!, match[2]!);
    }
    return gitRevision({ ref: 'index', kind: 'index' }, blobs, run);
  };

  const worktree = async (): Promise<RevisionFiles> => {
    const listing = await run(['ls-files', '-z', '--full-name', '--cached', '--others', '--exclude-standard'], MAX_LISTING_BYTES);
    const paths = [...new Set(splitZ(listing))];
    const read = (path: string) => readWorktreeFile(top, path);
    const files = new Map<string, string>();
    for (const path of paths.filter(isDependencyFile)) {
      const bytes = await readWorktreeBytes(top, path);
      if (bytes !== undefined) files.set(path, blobId(bytes));
    }
    return { info: { ref: 'working tree', kind: 'worktree' }, files, read: cached(read), listDirs: folderLister(paths) };
  };

  return { root: top, resolveCommit, mergeBase, commit, index, worktree };
}

function gitRevision(info: RevisionInfo, blobs: ReadonlyMap<string, string>, run: (args: readonly string[], maxBuffer?: number) => Promise<Buffer>): RevisionFiles {
  const files = new Map([...blobs].filter(([path]) => isDependencyFile(path)));
  const read = async (path: string): Promise<string | undefined> => {
    const id = blobs.get(path);
    if (id === undefined) return undefined;
    const bytes = await run(['cat-file', 'blob', id], MAX_FILE_BYTES).catch(() => undefined);
    return bytes?.toString('utf8');
  };
  return { info, files, read: cached(read), listDirs: folderLister([...blobs.keys()]) };
}

/** Caches each path's text, since a project's files are read for both its manifest and its policy. */
function cached(read: (path: string) => Promise<string | undefined>): (path: string) => Promise<string | undefined> {
  const seen = new Map<string, Promise<string | undefined>>();
  return (path) => {
    let text = seen.get(path);
    if (text === undefined) {
      text = read(path);
      seen.set(path, text);
    }
    return text;
  };
}

/** Sub-folders per folder, from a list of file paths. */
function folderLister(paths: readonly string[]): (path: string) => Promise<readonly string[]> {
  const children = new Map<string, Set<string>>();
  for (const path of paths) {
    const parts = path.split('/');
    for (let i = 0; i < parts.length - 1; i++) {
      const parent = parts.slice(0, i).join('/');
      const set = children.get(parent) ?? new Set<string>();
      set.add(parts[i]!);
      children.set(parent, set);
    }
  }
  return async (path) => [...(children.get(path.replace(/^\.?\/+|\/+$/g, '')) ?? [])].sort();
}

async function readWorktreeBytes(top: string, path: string): Promise<Buffer | undefined> {
  const file = join(top, path);
  try {
    // Regular files only: a symbolic link could make the review read a file outside the repository.
    const info = await lstat(file);
    if (!info.isFile() || info.size > MAX_FILE_BYTES) return undefined;
    return await readFile(file);
  } catch (error) {
    // A file listed by git but deleted from the working tree is simply absent on this side.
    void error;
    return undefined;
  }
}

async function readWorktreeFile(top: string, path: string): Promise<string | undefined> {
  return (await readWorktreeBytes(top, path))?.toString('utf8');
}

/** git's blob id of some bytes (`sha1("blob <size>\0" + bytes)`), so working-tree files compare with committed ones. */
export function blobId(bytes: Buffer): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

function splitZ(output: Buffer): string[] {
  return output.toString('utf8').split('\0').filter((part) => part !== '');
}

/**
 * The environment git runs with: no prompts (a missing credential fails instead of waiting), no
 * optional index writes, and no fsmonitor hook, which is a program a local config could name.
 */
function gitEnv(env: Readonly<Record<string, string | undefined>> | undefined): Record<string, string> {
  const base = Object.fromEntries(Object.entries(env ?? process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
  return { ...base, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' };
}

function git(cwd: string, args: readonly string[], env: Record<string, string>, maxBuffer = 16 * 1024 * 1024): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      ['-c', 'core.fsmonitor=false', '-c', 'core.untrackedCache=false', '-c', 'core.quotePath=false', ...args],
      { cwd, env, encoding: 'buffer', maxBuffer, windowsHide: true },
      (error, stdout, stderr) => {
        if (error) {
          const detail = stderr.toString('utf8').trim().split('\n')[0] ?? '';
          reject(new GitReviewError(detail || error.message, { cause: error }));
        } else resolve(stdout);
      },
    );
  });
}

function describeGitError(error: unknown): string {
  if ((error as { cause?: { code?: unknown } } | null)?.cause && ((error as { cause: { code?: unknown } }).cause.code === 'ENOENT')) return 'git was not found on PATH';
  return error instanceof Error ? error.message : String(error);
}
