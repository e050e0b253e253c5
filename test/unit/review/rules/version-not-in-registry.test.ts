import { versionNotInRegistry } from '../../../../src/core/review/rules/version-not-in-registry';
import { fixture, history } from '../../rules/helpers';
import { entry, entryInput, reviewRuleTable } from './helpers';

const lib = history('lib', [{ version: '1.0.0' }, { version: '1.1.0' }]);

reviewRuleTable(versionNotInRegistry, {
  valid: [
    { name: 'a published version', input: entryInput(entry('lib', '1.1.0'), { history: lib }) },
    { name: 'a removed version (unpublished reports it)', input: entryInput(entry('removed-version', '1.0.2'), { history: fixture('removed-version') }) },
    { name: 'an unpublished package (unpublished reports it)', input: entryInput(entry('unpublished-pkg', '9.9.9'), { history: fixture('unpublished-pkg') }) },
    { name: 'the registry did not answer', input: entryInput(entry('lib', '9.9.9')) },
    { name: 'a git dependency', input: entryInput(entry('lib', '9.9.9', { source: 'git' }), { history: lib }) },
  ],
  invalid: [
    {
      name: 'a version the registry never had',
      input: entryInput(entry('lib', '1.1.1', { resolved: 'https://evil.example/lib-1.1.1.tgz?t=1' }), { history: lib }),
      expected: [
        {
          rule: 'version-not-in-registry',
          severity: 'error',
          package: 'lib',
          version: '1.1.1',
          message:
            'lib@1.1.1 is not a version the registry has ever published (the latest is 1.1.0), so no package manager resolved it there: ' +
            'the entry was written by hand or comes from another registry. Find out where it comes from before installing, and lock a published version.',
          evidence: { latest: '1.1.0', resolved: 'https://evil.example/lib-1.1.1.tgz' },
        },
      ],
    },
    {
      name: 'without a latest tag',
      input: entryInput(entry('lib', '2.0.0'), { history: history('lib', [{ version: '1.0.0' }], { distTags: {} }) }),
      expected: [
        {
          rule: 'version-not-in-registry',
          severity: 'error',
          package: 'lib',
          version: '2.0.0',
          message:
            'lib@2.0.0 is not a version the registry has ever published, so no package manager resolved it there: ' +
            'the entry was written by hand or comes from another registry. Find out where it comes from before installing, and lock a published version.',
          evidence: { latest: null },
        },
      ],
    },
  ],
});
