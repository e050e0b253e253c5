import { downgrade } from '../../../../src/core/review/rules/downgrade';
import { change, changeInput, reviewRuleTable } from './helpers';

const ADVICE =
  'A downgrade can bring back fixed bugs and vulnerabilities, and a hand-edited lockfile often shows up as one. ' +
  'Keep it only if the change means it (for example to leave a broken or compromised release).';

reviewRuleTable(downgrade, {
  valid: [
    { name: 'an upgrade', input: changeInput(change('upgraded', 'lib', '1.0.0', '1.0.1', { level: 'patch' })) },
    { name: 'a second, lower copy added alongside', input: changeInput(change('added-alongside', 'lib', undefined, '0.9.0')) },
    { name: 'a git commit replaced ("changed", not ordered)', input: changeInput(change('changed', 'lib', 'github:a/b#1', 'github:a/b#2')) },
  ],
  invalid: [
    {
      name: 'a patch downgrade',
      input: changeInput(change('downgraded', 'lib', '2.1.1', '2.1.0', { level: 'patch' })),
      expected: [
        { rule: 'downgrade', severity: 'warning', package: 'lib', version: '2.1.0', message: `lib goes back from 2.1.1 to 2.1.0 (patch downgrade). ${ADVICE}`, evidence: { from: '2.1.1', level: 'patch' } },
      ],
    },
    {
      name: 'a major downgrade',
      input: changeInput(change('downgraded', 'lib', '3.0.0', '2.4.0', { level: 'major' })),
      expected: [
        { rule: 'downgrade', severity: 'warning', package: 'lib', version: '2.4.0', message: `lib goes back from 3.0.0 to 2.4.0 (major downgrade). ${ADVICE}`, evidence: { from: '3.0.0', level: 'major' } },
      ],
    },
  ],
});
