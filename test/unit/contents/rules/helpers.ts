/** Builders for content-rule tests: synthetic tarball summaries, the rule input (diff computed as the inspector does), and the table runner. */

import assert from 'node:assert/strict';
import { compareTarballs } from '../../../../src/core/contents/compare';
import type {
  CapabilityUse,
  ContentsRule,
  ContentsRuleInput,
  FileFacts,
  InspectedTarball,
  ManifestFacts,
  PublishedManifest,
  ShapeFacts,
} from '../../../../src/core/contents/types';
import type { Finding } from '../../../../src/core/types';

export const PLAIN: ShapeFacts = { shape: 'plain', lines: 40, longestLine: 90, longestLineAt: 3, entropy: 4.6, hexIdentifiers: 0, longestEncodedString: 0, stringArrayRotation: false, reasons: [] };
export const MINIFIED: ShapeFacts = {
  ...PLAIN,
  shape: 'minified',
  lines: 2,
  longestLine: 48_000,
  longestLineAt: 2,
  reasons: ['a 48,000-character line (line 2)'],
  excerpt: '!function(t,e){"object"==typeof exports…',
};
export const OBFUSCATED: ShapeFacts = {
  ...PLAIN,
  shape: 'obfuscated',
  longestLine: 2845,
  longestLineAt: 17,
  hexIdentifiers: 102,
  stringArrayRotation: true,
  reasons: ['102 _0x-style identifiers', 'a string-array rotation loop', 'a 2,845-character line (line 17)'],
  firstSuspiciousLine: 17,
  excerpt: "const _0x4a1b=['\\x67\\x61…",
};

/** A file; `sha` distinguishes contents (same sha = unchanged). */
export function file(path: string, size: number, sha: string, extra: Partial<FileFacts> = {}): FileFacts {
  return { path, size, sha256: sha, executable: false, ...extra };
}

export function js(path: string, size: number, sha: string, shape: ShapeFacts = PLAIN, capabilities: CapabilityUse[] = [], extra: Partial<FileFacts> = {}): FileFacts {
  const { code, ...rest } = extra;
  return file(path, size, sha, { shape, code: { capabilities: [...capabilities, ...(code?.capabilities ?? [])], hosts: code?.hosts ?? [], requires: code?.requires ?? [] }, ...rest });
}

export function use(kind: CapabilityUse['kind'], detail: string, line = 1): CapabilityUse {
  return { kind, detail, line, excerpt: `excerpt of ${detail}` };
}

export function manifest(extra: Partial<ManifestFacts> = {}): ManifestFacts {
  return { name: 'pkg', scripts: {}, dependencies: {}, optionalDependencies: {}, bin: {}, exports: [], ...extra };
}

export function tarball(files: FileFacts[], pkg: ManifestFacts | undefined = manifest()): InspectedTarball {
  return { status: 'ok', integrity: `sha512-${files.map((f) => f.sha256).join('')}`, files: [file('package.json', 100, `pj-${JSON.stringify(pkg)}`), ...files], ...(pkg === undefined ? {} : { manifest: pkg }) };
}

/** The input the inspector would build: `pkg@1.0.1` after `1.0.0` (a patch release) unless told otherwise. */
export function contentsInput(
  before: InspectedTarball | undefined,
  after: InspectedTarball,
  options: { version?: string; previous?: string | null; sameLine?: boolean; published?: PublishedManifest } = {},
): ContentsRuleInput {
  const previous = options.previous === null || before === undefined ? undefined : { version: options.previous ?? '1.0.0', sameLine: options.sameLine ?? true };
  return {
    name: 'pkg',
    version: options.version ?? '1.0.1',
    ...(previous === undefined ? {} : { previous }),
    ...(before === undefined ? {} : { before }),
    after,
    diff: compareTarballs(before, after, options.published),
    ...(options.published === undefined ? {} : { published: options.published }),
  };
}

export interface ContentsCase {
  readonly name: string;
  readonly input: ContentsRuleInput;
}

/** ESLint-style table: valid cases yield no finding, invalid cases exactly the expected findings. */
export function contentsRuleTable(rule: ContentsRule, cases: { valid: readonly ContentsCase[]; invalid: ReadonlyArray<ContentsCase & { expected: readonly Finding[] }> }): void {
  describe(rule.meta.id, () => {
    describe('valid', () => {
      for (const c of cases.valid) it(c.name, () => assert.deepStrictEqual(rule.check(c.input), []));
    });
    describe('invalid', () => {
      for (const c of cases.invalid) it(c.name, () => assert.deepStrictEqual(rule.check(c.input), c.expected));
    });
  });
}
