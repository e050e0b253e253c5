import { unpublished } from '../../../src/core/rules/unpublished';
import { fixture, history, input, ruleTable } from './helpers';

const SECURITY =
  "is no longer installable: npm's security team replaced security-holder with the 0.0.1-security placeholder, which it does to packages removed as malicious. " +
  'Remove security-holder, and treat machines that installed it as exposed: rotate the credentials they held.';
const REMOVED = 'Move to another version and find out why it was removed: removed releases are often malicious ones, and installs that still name it will fail.';

ruleTable(unpublished, {
  valid: [
    { name: 'the version is in the registry', input: input(fixture('removed-version'), '1.0.1') },
    { name: 'a version the registry never had (version-not-in-registry reports it)', input: input(fixture('removed-version'), '9.9.9') },
    {
      name: 'a 0.0.1-security version next to real ones is not the placeholder',
      input: input(history('pkg', [{ version: '0.0.1-security' }, { version: '1.0.0' }]), '1.0.0'),
    },
  ],
  invalid: [
    {
      name: 'fixture removed-version 1.0.2: a time entry but no version',
      input: input(fixture('removed-version'), '1.0.2'),
      expected: [
        {
          rule: 'unpublished',
          severity: 'warning',
          package: 'removed-version',
          version: '1.0.2',
          message: `removed-version@1.0.2, published 2025-09-28, has been removed from the registry. ${REMOVED}`,
          evidence: { publishedAt: '2025-09-28T10:00:00.000Z' },
        },
      ],
    },
    {
      name: 'fixture unpublished-pkg: the whole package was unpublished',
      input: input(fixture('unpublished-pkg'), '1.1.0'),
      expected: [
        {
          rule: 'unpublished',
          severity: 'warning',
          package: 'unpublished-pkg',
          version: '1.1.0',
          message:
            'unpublished-pkg was unpublished from the registry on 2025-10-01, so unpublished-pkg@1.1.0 can no longer be installed. ' +
            'Replace the dependency; the registry does not say why it was removed, so find out before trusting any copy you still have.',
          evidence: { unpublishedAt: '2025-10-01T08:00:00.000Z', versions: ['1.0.0', '1.1.0'] },
        },
      ],
    },
    {
      name: 'an unpublished package without a usable time',
      input: input(history('pkg', [], { unpublished: { at: '', versions: [] } }), '1.0.0'),
      expected: [
        {
          rule: 'unpublished',
          severity: 'warning',
          package: 'pkg',
          version: '1.0.0',
          message:
            'pkg was unpublished from the registry, so pkg@1.0.0 can no longer be installed. ' +
            'Replace the dependency; the registry does not say why it was removed, so find out before trusting any copy you still have.',
          evidence: { unpublishedAt: null, versions: [] },
        },
      ],
    },
    {
      name: 'fixture security-holder 1.0.1: replaced by the security placeholder',
      input: input(fixture('security-holder'), '1.0.1'),
      expected: [
        {
          rule: 'unpublished',
          severity: 'error',
          package: 'security-holder',
          version: '1.0.1',
          message: `security-holder@1.0.1 ${SECURITY}`,
          evidence: { placeholder: '0.0.1-security', removedVersions: ['1.0.0', '1.0.1'] },
        },
      ],
    },
    {
      name: 'fixture security-holder: the placeholder itself',
      input: input(fixture('security-holder'), '0.0.1-security'),
      expected: [
        {
          rule: 'unpublished',
          severity: 'error',
          package: 'security-holder',
          version: '0.0.1-security',
          message: `security-holder@0.0.1-security ${SECURITY}`,
          evidence: { placeholder: '0.0.1-security', removedVersions: ['1.0.0', '1.0.1'] },
        },
      ],
    },
  ],
});
