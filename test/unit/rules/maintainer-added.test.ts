import { maintainerAdded } from '../../../src/core/rules/maintainer-added';
import type { Finding, VersionFacts } from '../../../src/core/types';
import { DAY, ago, fixture, history, input, ruleTable } from './helpers';

const ADVICE = 'Check that the change is expected (release notes, the repository) before relying on this version; a takeover often starts by adding a maintainer.';
const with_ = (version: string, days: number, maintainers?: readonly string[]): VersionFacts =>
  maintainers === undefined ? { version, publishedAt: ago(days * DAY) } : { version, publishedAt: ago(days * DAY), maintainers };

function finding(version: string, message: string, evidence: Finding['evidence'], pkg = 'pkg'): Finding {
  return { rule: 'maintainer-added', severity: 'info', package: pkg, version, message, evidence };
}

ruleTable(maintainerAdded, {
  valid: [
    { name: 'the same maintainers in another order', input: input(history('pkg', [with_('1.0.0', 90, ['alice', 'bob']), with_('1.0.1', 1, ['bob', 'alice'])]), '1.0.1') },
    { name: 'a maintainer was removed', input: input(history('pkg', [with_('1.0.0', 90, ['alice', 'bob']), with_('1.0.1', 1, ['alice'])]), '1.0.1') },
    { name: 'the first version', input: input(history('pkg', [with_('1.0.0', 1, ['alice'])]), '1.0.0') },
    { name: 'mirror data: no maintainer lists', input: input(history('pkg', [with_('1.0.0', 90), with_('1.0.1', 1)]), '1.0.1') },
    { name: 'this version has no list', input: input(history('pkg', [with_('1.0.0', 90, ['alice']), with_('1.0.1', 1)]), '1.0.1') },
    { name: 'no earlier version has a list', input: input(history('pkg', [with_('1.0.0', 90), with_('1.0.1', 1, ['alice'])]), '1.0.1') },
    { name: 'fixture mirror-style', input: input(fixture('mirror-style'), '1.1.0') },
    { name: 'fixture new-publisher 2.1.0 keeps the list of 2.0.1', input: input(fixture('new-publisher'), '2.1.0') },
  ],
  invalid: [
    {
      name: 'fixture new-publisher 2.1.1 adds mallory',
      input: input(fixture('new-publisher'), '2.1.1'),
      expected: [
        finding('2.1.1', `new-publisher@2.1.1 lists a new maintainer, "mallory", who was not listed when 2.1.0 was published. ${ADVICE}`, {
          added: ['mallory'],
          previousVersion: '2.1.0',
          previousMaintainers: ['carol', 'dave'],
        }, 'new-publisher'),
      ],
    },
    {
      name: 'compared with the version published just before, whatever its line, skipping one without a list',
      input: input(history('pkg', [with_('2.0.0', 90, ['alice']), with_('1.9.9', 60), with_('1.9.10', 1, ['alice', 'eve', 'zed'])]), '1.9.10'),
      expected: [
        finding('1.9.10', `pkg@1.9.10 lists new maintainers, "eve" and "zed", who were not listed when 2.0.0 was published. ${ADVICE}`, {
          added: ['eve', 'zed'],
          previousVersion: '2.0.0',
          previousMaintainers: ['alice'],
        }),
      ],
    },
  ],
});
