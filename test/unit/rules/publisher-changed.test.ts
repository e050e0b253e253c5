import { publisherChanged } from '../../../src/core/rules/publisher-changed';
import type { Finding, VersionFacts } from '../../../src/core/types';
import { DAY, ago, fixture, history, input, ruleTable } from './helpers';

const ADVICE = 'A new publisher can mean a hijacked account or token: check the release against the repository and its announcements before installing it.';
const by = (version: string, days: number, publisher: string | undefined, extra: Partial<VersionFacts> = {}): VersionFacts => ({
  version,
  publishedAt: ago(days * DAY),
  ...(publisher === undefined ? {} : { publisher }),
  ...extra,
});
const trusted = { publisher: 'GitHub Actions', trustedPublisher: 'github', provenance: true } as const;

function finding(version: string, severity: Finding['severity'], message: string, evidence: Finding['evidence'], pkg = 'pkg'): Finding {
  return { rule: 'publisher-changed', severity, package: pkg, version, message, evidence };
}

ruleTable(publisherChanged, {
  valid: [
    { name: 'the publisher published an earlier version', input: input(history('pkg', [by('1.0.0', 90, 'alice'), by('1.0.1', 60, 'bob'), by('1.0.2', 1, 'alice')]), '1.0.2') },
    { name: 'the first version has nobody to compare with', input: input(history('pkg', [by('1.0.0', 1, 'alice')]), '1.0.0') },
    { name: 'a move to trusted publishing is not a change of publisher', input: input(history('pkg', [by('1.0.0', 90, 'alice'), by('1.1.0', 1, undefined, trusted)]), '1.1.0') },
    {
      name: 'a staged publish approved by a previous publisher',
      input: input(history('pkg', [by('1.0.0', 90, 'alice'), by('1.1.0', 1, 'release-bot', { approver: 'alice' })]), '1.1.0'),
    },
    {
      name: 'a publisher known as an earlier approver',
      input: input(history('pkg', [by('1.0.0', 90, 'GitHub Actions', { approver: 'bob', trustedPublisher: 'github' }), by('1.0.1', 1, 'bob')]), '1.0.1'),
    },
    {
      name: 'mirror data: no publisher anywhere',
      input: input(history('pkg', [by('1.0.0', 90, undefined), by('1.0.1', 1, undefined)]), '1.0.1'),
    },
    {
      name: 'this version carries no publisher while others do',
      input: input(history('pkg', [by('1.0.0', 90, 'alice'), by('1.0.1', 1, undefined)]), '1.0.1'),
    },
    {
      name: 'earlier versions carry no publisher: no baseline',
      input: input(history('pkg', [by('1.0.0', 90, undefined), by('1.0.1', 1, 'mallory')]), '1.0.1'),
    },
    { name: 'fixture lost-provenance 3.1.0 moves to trusted publishing', input: input(fixture('lost-provenance'), '3.1.0') },
    { name: 'fixture lost-provenance 3.1.2: alice published 3.0.0', input: input(fixture('lost-provenance'), '3.1.2') },
    { name: 'fixture mirror-style has no publisher data', input: input(fixture('mirror-style'), '1.1.0') },
    { name: 'fixture safe-lib 1.2.0', input: input(fixture('safe-lib'), '1.2.0') },
  ],
  invalid: [
    {
      name: 'fixture new-publisher 2.1.1 by mallory',
      input: input(fixture('new-publisher'), '2.1.1'),
      expected: [
        finding('2.1.1', 'warning', `new-publisher@2.1.1 was published by "mallory", who published none of its 3 earlier versions (recent publishers: carol and dave). ${ADVICE}`, {
          publisher: 'mallory',
          previousPublishers: ['carol', 'dave'],
          listedMaintainer: false,
        }, 'new-publisher'),
      ],
    },
    {
      name: 'a listed maintainer publishing for the first time is info',
      input: input(
        history('pkg', [by('1.0.0', 90, 'alice', { maintainers: ['alice', 'bob'] }), by('1.0.1', 1, 'bob', { maintainers: ['alice', 'bob'] })]),
        '1.0.1',
      ),
      expected: [
        finding('1.0.1', 'info', `pkg@1.0.1 was published by "bob", who did not publish its only earlier version (recent publishers: alice); "bob" was already a listed maintainer. ${ADVICE}`, {
          publisher: 'bob',
          previousPublishers: ['alice'],
          listedMaintainer: true,
        }),
      ],
    },
    {
      name: 'after trusted publishing, a hand publish by an unknown account',
      input: input(history('pkg', [by('1.0.0', 90, undefined, trusted), by('1.0.1', 1, 'mallory')]), '1.0.1'),
      expected: [
        finding('1.0.1', 'warning', `pkg@1.0.1 was published by "mallory", who did not publish its only earlier version (recent publishers: GitHub Actions). ${ADVICE}`, {
          publisher: 'mallory',
          previousPublishers: ['GitHub Actions'],
          listedMaintainer: false,
        }),
      ],
    },
    {
      name: 'an approver who never published does not vouch',
      input: input(history('pkg', [by('1.0.0', 90, 'alice'), by('1.0.1', 1, 'bot', { approver: 'eve' })]), '1.0.1'),
      expected: [
        finding('1.0.1', 'warning', `pkg@1.0.1 was published by "bot", who did not publish its only earlier version (recent publishers: alice). ${ADVICE}`, {
          publisher: 'bot',
          previousPublishers: ['alice'],
          listedMaintainer: false,
        }),
      ],
    },
  ],
});
