import { lockfileInconsistent } from '../../../../src/core/review/rules/lockfile-inconsistent';
import { change, changeInput, reviewRuleTable } from './helpers';

const ADVICE = 'A package manager never writes such an entry, so the lockfile was edited by hand or merged badly. Regenerate the lockfile with the package manager and compare.';

reviewRuleTable(lockfileInconsistent, {
  valid: [
    { name: 'a range admits the version', input: changeInput(change('upgraded', 'lib', '1.0.0', '1.2.0'), { ranges: ['^1.0.0'] }) },
    { name: 'one of several ranges admits it', input: changeInput(change('added-alongside', 'lib', undefined, '2.0.0'), { ranges: ['^1.0.0', '>=2 <3'] }) },
    { name: 'a tag may admit anything', input: changeInput(change('upgraded', 'lib', '1.0.0', '5.0.0'), { ranges: ['^1.0.0', 'latest'] }) },
    { name: 'ranges unknown (pnpm transitive)', input: changeInput(change('upgraded', 'lib', '1.0.0', '5.0.0')) },
    { name: 'a same-version source change', input: changeInput(change('source-changed', 'lib', '1.0.0', '1.0.0'), { ranges: ['^2.0.0'] }) },
    { name: 'a git dependency', input: changeInput(change('changed', 'lib', 'a', 'b', { source: 'git' }), { ranges: ['^2.0.0'] }) },
  ],
  invalid: [
    {
      name: 'no range admits the new version',
      input: changeInput(change('upgraded', 'lib', '1.0.0', '1.0.9'), { ranges: ['~1.0.0 <1.0.5', '1.0.0', '1.0.0'] }),
      expected: [
        {
          rule: 'lockfile-inconsistent',
          severity: 'warning',
          package: 'lib',
          version: '1.0.9',
          message: `lib@1.0.9 is in the lockfile, but no range that asks for lib admits it ("1.0.0" and "~1.0.0 <1.0.5"). ${ADVICE}`,
          evidence: { ranges: ['1.0.0', '~1.0.0 <1.0.5'] },
        },
      ],
    },
  ],
});
