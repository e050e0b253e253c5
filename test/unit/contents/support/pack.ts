/** Builds fixture tarballs with the real `npm pack` and serves them, with matching packuments, from the loopback fixture registry. */

import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { integrityOf } from '../../../../src/core/contents/integrity';
import type { FixtureRegistry } from '../../../support/fixture-registry';

const run = promisify(execFile);
export const FIXTURES = join(__dirname, '..', '..', '..', 'fixtures', 'contents');

/** One packed version: the tarball bytes and its package.json. */
export interface PackedVersion {
  readonly version: string;
  readonly tarball: Buffer;
  readonly manifest: Record<string, unknown>;
}

/**
 * Packs `test/fixtures/contents/<fixture>/<version>/` with `npm pack --ignore-scripts` from a
 * temporary copy; `extraFiles` are written into the copy first (generated content such as a
 * multi-megabyte bundle is never committed).
 */
export async function packFixture(fixture: string, version: string, extraFiles: Readonly<Record<string, string | Buffer>> = {}): Promise<PackedVersion> {
  const work = await mkdtemp(join(tmpdir(), 'dr-pack-'));
  try {
    const src = join(work, 'src');
    await cp(join(FIXTURES, fixture, version), src, { recursive: true });
    for (const [path, data] of Object.entries(extraFiles)) await writeFile(join(src, path), data);
    const { stdout } = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], {
      cwd: src,
      env: { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' },
      maxBuffer: 64 * 1024 * 1024,
    });
    const [info] = JSON.parse(stdout) as Array<{ filename: string }>;
    if (info === undefined) throw new Error(`npm pack printed no result for ${fixture}/${version}`);
    const tarball = await readFile(join(work, info.filename));
    const manifest = JSON.parse(await readFile(join(src, 'package.json'), 'utf8')) as Record<string, unknown>;
    return { version, tarball, manifest };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** How to turn a package.json into the registry's version document (npm's publish-time normalisation, or a lie). */
export type ManifestEdit = (doc: Record<string, unknown>, version: string) => void;

/**
 * Serves `versions` of `name` from `registry`: the tarballs at npm's URLs and a full packument whose
 * `versions[v]` is the package.json plus `dist` (integrity computed from the tarball), published a
 * day apart from 2025-09-01.
 */
export function serveVersions(registry: FixtureRegistry, name: string, versions: readonly PackedVersion[], edit?: ManifestEdit): void {
  const docs: Record<string, unknown> = {};
  const time: Record<string, string> = { created: '2025-09-01T00:00:00.000Z' };
  versions.forEach((packed, index) => {
    const base = name.startsWith('@') ? name.slice(name.indexOf('/') + 1) : name;
    const doc: Record<string, unknown> = {
      ...packed.manifest,
      name,
      version: packed.version,
      dist: { integrity: integrityOf(packed.tarball), tarball: `${registry.url}${name}/-/${base}-${packed.version}.tgz` },
    };
    edit?.(doc, packed.version);
    docs[packed.version] = doc;
    time[packed.version] = new Date(Date.UTC(2025, 8, 1 + index)).toISOString();
    registry.setTarball(name, packed.version, packed.tarball);
  });
  const latest = versions[versions.length - 1]?.version ?? '';
  registry.setDocument(name, { name, 'dist-tags': { latest }, versions: docs, time: { ...time, modified: time[latest] } });
}

/** npm's publish-time normalisation for a package with binding.gyp: `install: node-gyp rebuild` and `gypfile: true`. */
export const gypNormalisation: ManifestEdit = (doc) => {
  const scripts = (doc['scripts'] as Record<string, string> | undefined) ?? {};
  if (scripts['install'] === undefined && scripts['preinstall'] === undefined) doc['scripts'] = { ...scripts, install: 'node-gyp rebuild' };
  doc['gypfile'] = true;
};
