import { freshRelease } from '../../../src/core/rules/fresh-release';
import { DAY, HOUR, NOW, ago, fixture, history, input, policy, ruleTable } from './helpers';

const LIMIT = 7 * DAY;
const at = (ms: number) => history('pkg', [{ version: '1.0.0', publishedAt: ago(ms) }]);
const advice = 'Wait until it is 7 days old or stay on the version you had: hijacked releases are usually found and removed within days.';

ruleTable(freshRelease, {
  valid: [
    { name: 'exactly the minimum age old', input: input(at(LIMIT), '1.0.0') },
    { name: '1 ms older than the minimum age', input: input(at(LIMIT + 1), '1.0.0') },
    { name: 'publish time unknown (abbreviated document)', input: input(history('pkg', [{ version: '1.0.0' }]), '1.0.0') },
    { name: 'version not in the registry', input: input(at(HOUR), '2.0.0') },
    { name: 'package excluded by name', input: input(at(HOUR), '1.0.0', { policy: policy({ minReleaseAgeExclude: ['pkg'] }) }) },
    {
      name: 'scoped package excluded by glob',
      input: input(history('@myorg/tool', [{ version: '1.0.0', publishedAt: ago(HOUR) }]), '1.0.0', { policy: policy({ minReleaseAgeExclude: ['@myorg/*'] }) }),
    },
    { name: 'policy minimum of 0 days turns the rule off', input: input(at(HOUR), '1.0.0', { policy: policy({ minReleaseAgeDays: 0 }) }) },
    { name: 'fixture safe-lib 1.2.0 is 15 days old', input: input(fixture('safe-lib'), '1.2.0') },
  ],
  invalid: [
    {
      name: '1 ms younger than the minimum age',
      input: input(at(LIMIT - 1), '1.0.0'),
      expected: [
        {
          rule: 'fresh-release',
          severity: 'warning',
          package: 'pkg',
          version: '1.0.0',
          message: `pkg@1.0.0 was published 6 days ago (policy: 7 days). ${advice}`,
          evidence: { publishedAt: ago(LIMIT - 1), ageHours: 167.9, policyDays: 7 },
        },
      ],
    },
    {
      name: 'a glob for another scope does not exclude',
      input: input(history('@other/tool', [{ version: '1.0.0', publishedAt: ago(3 * HOUR) }]), '1.0.0', { policy: policy({ minReleaseAgeExclude: ['@myorg/*'] }) }),
      expected: [
        {
          rule: 'fresh-release',
          severity: 'warning',
          package: '@other/tool',
          version: '1.0.0',
          message: `@other/tool@1.0.0 was published 3 h ago (policy: 7 days). ${advice}`,
          evidence: { publishedAt: ago(3 * HOUR), ageHours: 3, policyDays: 7 },
        },
      ],
    },
    {
      name: 'published after `now` (registry clock ahead) counts as fresh',
      input: input(history('pkg', [{ version: '1.0.0', publishedAt: new Date(NOW.getTime() + 60_000).toISOString() }]), '1.0.0', { policy: policy({ minReleaseAgeDays: 1 }) }),
      expected: [
        {
          rule: 'fresh-release',
          severity: 'warning',
          package: 'pkg',
          version: '1.0.0',
          message: 'pkg@1.0.0 was published just now (policy: 1 day). Wait until it is 1 day old or stay on the version you had: hijacked releases are usually found and removed within days.',
          evidence: { publishedAt: '2025-10-05T12:01:00.000Z', ageHours: -0.1, policyDays: 1 },
        },
      ],
    },
    {
      name: 'fixture evil-patch 4.1.2, 3 h old',
      input: input(fixture('evil-patch'), '4.1.2'),
      expected: [
        {
          rule: 'fresh-release',
          severity: 'warning',
          package: 'evil-patch',
          version: '4.1.2',
          message: `evil-patch@4.1.2 was published 3 h ago (policy: 7 days). ${advice}`,
          evidence: { publishedAt: '2025-10-05T09:00:00.000Z', ageHours: 3, policyDays: 7 },
        },
      ],
    },
    {
      name: 'fixture mirror-style 1.1.0 with a +00:00 time',
      input: input(fixture('mirror-style'), '1.1.0'),
      expected: [
        {
          rule: 'fresh-release',
          severity: 'warning',
          package: 'mirror-style',
          version: '1.1.0',
          message: `mirror-style@1.1.0 was published 5 h ago (policy: 7 days). ${advice}`,
          evidence: { publishedAt: '2025-10-05T06:00:00.123Z', ageHours: 5.9, policyDays: 7 },
        },
      ],
    },
  ],
});
