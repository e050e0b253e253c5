import assert from 'node:assert/strict';
import { provenanceDropped } from '../../../src/core/rules/provenance-dropped';
import type { Finding, VersionFacts } from '../../../src/core/types';
import { DAY, ago, fixture, history, input, ruleTable } from './helpers';

const ADVICE = 'A release that skips the usual publishing pipeline can mean a stolen token: check it against the repository and its CI runs before installing,';
const none = (version: string, days: number): VersionFacts => ({ version, publishedAt: ago(days * DAY), publisher: 'alice', provenance: false });
const prov = (version: string, days: number): VersionFacts => ({ version, publishedAt: ago(days * DAY), publisher: 'alice', provenance: true });
const tp = (version: string, days: number): VersionFacts => ({ version, publishedAt: ago(days * DAY), publisher: 'GitHub Actions', trustedPublisher: 'github', provenance: true });
const staged = (version: string, days: number): VersionFacts => ({ ...tp(version, days), approver: 'alice' });

function finding(version: string, message: string, evidence: Finding['evidence'], pkg = 'pkg'): Finding {
  return { rule: 'provenance-dropped', severity: 'warning', package: pkg, version, message, evidence };
}

ruleTable(provenanceDropped, {
  valid: [
    { name: 'the same level as before', input: input(history('pkg', [prov('1.0.0', 90), prov('1.0.1', 1)]), '1.0.1') },
    { name: 'an upgrade to trusted publishing', input: input(history('pkg', [none('1.0.0', 90), tp('1.0.1', 1)]), '1.0.1') },
    { name: 'only a prerelease had provenance', input: input(history('pkg', [none('1.0.0', 90), prov('1.1.0-beta.1', 30), none('1.0.1', 1)]), '1.0.1') },
    { name: 'the stronger release was published later (publish order, not semver)', input: input(history('pkg', [none('1.0.0', 90), prov('2.0.0', 1)]), '1.0.0') },
    {
      name: 'a trusted publisher without provenance counts as none (as in pnpm)',
      input: input(history('pkg', [{ ...tp('1.0.0', 90), provenance: false }, none('1.0.1', 1)]), '1.0.1'),
    },
    { name: 'publish time unknown', input: input(history('pkg', [prov('1.0.0', 90), { version: '1.0.1', provenance: false }]), '1.0.1') },
    { name: 'mirror data: attestations stripped everywhere', input: input(fixture('mirror-style'), '1.1.0') },
    { name: 'fixture lost-provenance 3.1.0 (a move to trusted publishing)', input: input(fixture('lost-provenance'), '3.1.0') },
  ],
  invalid: [
    {
      name: 'fixture lost-provenance 3.1.2 published by hand after trusted publishing',
      input: input(fixture('lost-provenance'), '3.1.2'),
      expected: [
        finding(
          '3.1.2',
          `lost-provenance@3.1.2 was published with no provenance, but 3.1.1, published before it, had trusted publishing with provenance. ${ADVICE} or stay on 3.1.1.`,
          {
            trustLevel: 'none',
            previousVersion: '3.1.1',
            previousTrustLevel: 'trusted-publisher',
            previousPublishedAt: '2025-08-01T10:00:00.000Z',
            repository: 'git+https://github.com/example/lost-provenance.git',
          },
          'lost-provenance',
        ),
      ],
    },
    {
      name: 'provenance to none, the strongest earlier release named even if not the latest',
      input: input(history('pkg', [prov('1.0.0', 90), none('1.0.1', 60), none('1.0.2', 1)]), '1.0.2'),
      expected: [
        finding('1.0.2', `pkg@1.0.2 was published with no provenance, but 1.0.0, published before it, had a provenance attestation. ${ADVICE} or stay on 1.0.0.`, {
          trustLevel: 'none',
          previousVersion: '1.0.0',
          previousTrustLevel: 'provenance',
          previousPublishedAt: ago(90 * DAY),
        }),
      ],
    },
    {
      name: 'staged publish to trusted publisher is a downgrade',
      input: input(history('pkg', [staged('1.0.0', 90), tp('1.0.1', 1)]), '1.0.1'),
      expected: [
        finding(
          '1.0.1',
          `pkg@1.0.1 was published with trusted publishing with provenance, but 1.0.0, published before it, had a staged publish with an approver. ${ADVICE} or stay on 1.0.0.`,
          { trustLevel: 'trusted-publisher', previousVersion: '1.0.0', previousTrustLevel: 'staged', previousPublishedAt: ago(90 * DAY) },
        ),
      ],
    },
    {
      name: 'a prerelease is compared with earlier prereleases too',
      input: input(history('pkg', [none('1.0.0', 90), prov('2.0.0-rc.1', 30), none('2.0.0-rc.2', 1)]), '2.0.0-rc.2'),
      expected: [
        finding('2.0.0-rc.2', `pkg@2.0.0-rc.2 was published with no provenance, but 2.0.0-rc.1, published before it, had a provenance attestation. ${ADVICE} or stay on 2.0.0-rc.1.`, {
          trustLevel: 'none',
          previousVersion: '2.0.0-rc.1',
          previousTrustLevel: 'provenance',
          previousPublishedAt: ago(30 * DAY),
        }),
      ],
    },
  ],
});

describe('provenance-dropped under pnpm trustPolicy: no-downgrade', () => {
  it('is an error that says pnpm will refuse the version; the same drop without the policy stays a warning (control)', async () => {
    const { buildHistory } = await import('../../../src/core/history');
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { provenanceDropped } = await import('../../../src/core/rules/provenance-dropped');
    const { buildPolicy } = await import('../../../src/core/policy');
    const built = buildHistory('lost-provenance', JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'packuments', 'lost-provenance.json'), 'utf8')));
    if (!built.ok) throw new Error(built.message);
    const now = new Date('2025-10-05T12:00:00.000Z');
    const plain = buildPolicy({}, {}).policy;
    const strict = buildPolicy({ trustPolicy: { value: 'no-downgrade', origin: 'pnpm-workspace.yaml trustPolicy' } }, {}).policy;
    const [warning] = provenanceDropped.check({ history: built.history, version: '3.1.2', policy: plain, now });
    const [error] = provenanceDropped.check({ history: built.history, version: '3.1.2', policy: strict, now });
    assert.equal(warning.severity, 'warning');
    assert.equal(error.severity, 'error');
    assert.match(error.message, /\(pnpm will refuse to install it: trustPolicy no-downgrade\)\. /);
    assert.equal(warning.message.includes('pnpm will refuse'), false);
  });
});
