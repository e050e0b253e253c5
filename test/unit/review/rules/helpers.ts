/** Shared builders for the review rules' table tests: lockfile entries, changes, configurations and the table runner. */

import assert from 'node:assert/strict';
import type { ChangeRuleInput, ConfigRuleInput, EntryRuleInput, ReviewRule } from '../../../../src/core/review/rules/types';
import type { PackageChange, ProjectConfig } from '../../../../src/core/review/types';
import type { Finding, LockedPackage } from '../../../../src/core/types';
import { NOW, policy } from '../../rules/helpers';

export { NOW, policy };

export function entry(name: string, version: string, extra: Partial<LockedPackage> = {}): LockedPackage {
  return { name, version, key: `node_modules/${name}`, dev: false, optional: false, peer: false, direct: true, source: 'registry', via: [name], workspace: '', ...extra };
}

export function entryInput(e: LockedPackage, extra: Partial<EntryRuleInput> = {}): EntryRuleInput {
  return { entry: e, format: 'npm', policy: policy(), now: NOW, ...extra };
}

export function change(kind: PackageChange['kind'], name: string, from: string | undefined, to: string | undefined, extra: Partial<PackageChange> = {}): PackageChange {
  return {
    kind,
    file: 'package-lock.json',
    name,
    ...(from !== undefined ? { from } : {}),
    ...(to !== undefined ? { to } : {}),
    direct: true,
    scope: 'prod',
    source: 'registry',
    message: `${name} change`,
    ...extra,
  };
}

export function changeInput(c: PackageChange, extra: Partial<ChangeRuleInput> = {}): ChangeRuleInput {
  return { change: c, before: [], after: [], format: 'npm', policy: policy(), now: NOW, ...extra };
}

export function config(extra: Partial<ProjectConfig> = {}): ProjectConfig {
  return {
    lockfile: 'package-lock.json',
    manager: 'npm',
    minReleaseAgeExclude: [],
    allowScripts: {},
    registry: 'https://registry.npmjs.org/',
    scopes: {},
    registryFile: '.npmrc',
    managerCode: {},
    pins: {},
    ...extra,
  };
}

export function configInput(before: ProjectConfig | undefined, after: ProjectConfig, extra: Partial<ConfigRuleInput> = {}): ConfigRuleInput {
  return { ...(before ? { before } : {}), after, dir: '', changes: [], policy: policy(), now: NOW, ...extra };
}

type InputOf<R extends ReviewRule> = Parameters<R['check']>[0];

export interface Case<R extends ReviewRule> {
  readonly name: string;
  readonly input: InputOf<R>;
}

/** ESLint-style table: valid cases (near misses) yield nothing, invalid cases exactly the expected findings. */
export function reviewRuleTable<R extends ReviewRule>(rule: R, cases: { valid: readonly Case<R>[]; invalid: readonly (Case<R> & { readonly expected: readonly Finding[] })[] }): void {
  const check = rule.check as (input: InputOf<R>) => Finding[];
  describe(rule.meta.id, () => {
    describe('valid', () => {
      for (const c of cases.valid) it(c.name, () => assert.deepStrictEqual(check(c.input), []));
    });
    describe('invalid', () => {
      for (const c of cases.invalid) it(c.name, () => assert.deepStrictEqual(check(c.input), c.expected));
    });
  });
}
