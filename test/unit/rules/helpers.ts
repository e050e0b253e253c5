/** Shared fixtures for rule tests: the test clock, a default policy, history builders and the table runner. */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildHistory } from '../../../src/core/history';
import type { Finding, PackageHistory, Policy, Rule, VersionFacts, VersionRuleInput } from '../../../src/core/types';

/** The fixed clock every fixture's times are relative to. */
export const NOW = new Date('2025-10-05T12:00:00.000Z');
export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** An ISO time `ms` before NOW. */
export function ago(ms: number): string {
  return new Date(NOW.getTime() - ms).toISOString();
}

export function policy(overrides: Partial<Policy> = {}): Policy {
  return {
    minReleaseAgeDays: 7,
    minReleaseAgeExclude: [],
    allowScripts: {},
    severities: {},
    include: ['prod', 'dev', 'optional', 'peer'],
    ignore: [],
    origins: {},
    ...overrides,
  };
}

/** A history from version facts given in publish order; the data flags follow the facts unless overridden. */
export function history(name: string, versions: readonly VersionFacts[], overrides: Partial<PackageHistory> = {}): PackageHistory {
  return {
    name,
    versions,
    removed: [],
    distTags: versions.length > 0 ? { latest: versions[versions.length - 1]?.version ?? '' } : {},
    hasPublisherData: versions.some((v) => v.publisher !== undefined),
    hasMaintainerData: versions.some((v) => v.maintainers !== undefined),
    ...overrides,
  };
}

/** Builds the history of `test/fixtures/packuments/<name>.json`, failing the test if it does not build. */
export function fixture(name: string): PackageHistory {
  const file = join(__dirname, '..', '..', 'fixtures', 'packuments', `${name}.json`);
  const result = buildHistory(name, JSON.parse(readFileSync(file, 'utf8')) as unknown);
  if (!result.ok) assert.fail(result.message);
  return result.history;
}

export function input(historyValue: PackageHistory, version: string, extra: Partial<VersionRuleInput> = {}): VersionRuleInput {
  return { history: historyValue, version, policy: policy(), now: NOW, ...extra };
}

export interface ValidCase {
  readonly name: string;
  readonly input: VersionRuleInput;
}

export interface InvalidCase extends ValidCase {
  readonly expected: readonly Finding[];
}

/** ESLint-style table: valid cases yield no finding, invalid cases yield exactly the expected findings. */
export function ruleTable(rule: Rule, cases: { valid: readonly ValidCase[]; invalid: readonly InvalidCase[] }): void {
  describe(rule.meta.id, () => {
    describe('valid', () => {
      for (const c of cases.valid) it(c.name, () => assert.deepStrictEqual(rule.check(c.input), []));
    });
    describe('invalid', () => {
      for (const c of cases.invalid) it(c.name, () => assert.deepStrictEqual(rule.check(c.input), c.expected));
    });
  });
}
