import { freshRange } from '../../../src/core/rules/fresh-range';
import type { Finding } from '../../../src/core/types';
import { DAY, HOUR, ago, fixture, history, input, policy, ruleTable } from './helpers';

const LIMIT = 7 * DAY;
const old = ago(100 * DAY);

/** 1.0.0 and 1.1.0 are old; 1.2.0 was published `age` ago; `latest` as given. */
function line(age: number, latest = '1.2.0') {
  return history(
    'pkg',
    [
      { version: '1.0.0', publishedAt: old },
      { version: '1.1.0', publishedAt: old },
      { version: '1.2.0', publishedAt: ago(age) },
    ],
    { distTags: { latest } },
  );
}

function expected(version: string, range: string, fresh: string, age: number, ageText: string, ageHours: number, latest: string): Finding {
  return {
    rule: 'fresh-range',
    severity: 'info',
    package: 'pkg',
    version,
    message:
      `The range ${JSON.stringify(range)} for pkg admits ${fresh}, published ${ageText} (policy: 7 days); ` +
      `an install without the lockfile or \`npm update\` would take it instead of ${version}. ` +
      `Install from the lockfile (\`npm ci\`) and hold updates, or pin ${version}, until ${fresh} is 7 days old.`,
    evidence: { range, freshVersion: fresh, publishedAt: ago(age), ageHours, policyDays: 7, latest },
  };
}

ruleTable(freshRange, {
  valid: [
    { name: 'no declared range (transitive dependency)', input: input(line(HOUR), '1.0.0') },
    { name: 'the newest admitted version is exactly the minimum age old', input: input(line(LIMIT), '1.0.0', { range: '^1.0.0' }) },
    { name: 'an exact version admits nothing newer', input: input(line(HOUR), '1.0.0', { range: '1.0.0' }) },
    { name: 'the fresh version is the one already installed', input: input(line(HOUR), '1.2.0', { range: '^1.0.0' }) },
    {
      name: 'npm prefers `latest` when the range admits it, even over a newer fresh version',
      input: input(line(HOUR, '1.1.0'), '1.0.0', { range: '^1.0.0' }),
    },
    { name: 'the range stops below the fresh version', input: input(line(HOUR), '1.0.0', { range: '~1.0.0' }) },
    { name: 'package excluded by min-release-age-exclude', input: input(line(HOUR), '1.0.0', { range: '^1.0.0', policy: policy({ minReleaseAgeExclude: ['pkg'] }) }) },
    { name: 'a range that is not semver', input: input(line(HOUR), '1.0.0', { range: 'github:a/b' }) },
    { name: 'fixture safe-lib: ^1.0.0 leaves out the fresh 2.0.0-beta.0', input: input(fixture('safe-lib'), '1.1.0', { range: '^1.0.0' }) },
  ],
  invalid: [
    {
      name: 'the newest admitted version is 1 ms younger than the minimum age',
      input: input(line(LIMIT - 1), '1.0.0', { range: '^1.0.0' }),
      expected: [expected('1.0.0', '^1.0.0', '1.2.0', LIMIT - 1, '6 days ago', 167.9, '1.2.0')],
    },
    {
      name: 'when `latest` is outside the range, the highest admitted version counts',
      input: input(
        history(
          'pkg',
          [
            { version: '1.0.0', publishedAt: old },
            { version: '2.0.0', publishedAt: old },
            { version: '1.2.0', publishedAt: ago(2 * HOUR) },
          ],
          { distTags: { latest: '2.0.0' } },
        ),
        '1.0.0',
        { range: '^1.0.0' },
      ),
      expected: [expected('1.0.0', '^1.0.0', '1.2.0', 2 * HOUR, '2 h ago', 2, '2.0.0')],
    },
    {
      name: 'a dist-tag as the range takes the tagged version',
      input: input(
        history('pkg', [{ version: '1.0.0', publishedAt: old }, { version: '2.0.0-rc.1', publishedAt: ago(HOUR) }], {
          distTags: { latest: '1.0.0', next: '2.0.0-rc.1' },
        }),
        '1.0.0',
        { range: 'next' },
      ),
      expected: [expected('1.0.0', 'next', '2.0.0-rc.1', HOUR, '1 h ago', 1, '1.0.0')],
    },
    {
      name: 'fixture evil-patch: ^4.1.0 with 4.1.1 locked admits the 3-hour-old 4.1.2',
      input: input(fixture('evil-patch'), '4.1.1', { range: '^4.1.0' }),
      expected: [
        {
          ...expected('4.1.1', '^4.1.0', '4.1.2', 3 * HOUR, '3 h ago', 3, '4.1.2'),
          package: 'evil-patch',
          message:
            'The range "^4.1.0" for evil-patch admits 4.1.2, published 3 h ago (policy: 7 days); ' +
            'an install without the lockfile or `npm update` would take it instead of 4.1.1. ' +
            'Install from the lockfile (`npm ci`) and hold updates, or pin 4.1.1, until 4.1.2 is 7 days old.',
        },
      ],
    },
  ],
});
