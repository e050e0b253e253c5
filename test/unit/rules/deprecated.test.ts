import { deprecated } from '../../../src/core/rules/deprecated';
import { fixture, history, input, ruleTable } from './helpers';

const long = 'x'.repeat(300);

ruleTable(deprecated, {
  valid: [
    { name: 'not deprecated', input: input(history('pkg', [{ version: '1.0.0' }]), '1.0.0') },
    { name: 'fixture old-deprecated 1.0.1 has deprecated: ""', input: input(fixture('old-deprecated'), '1.0.1') },
    { name: 'version not in the registry', input: input(fixture('old-deprecated'), '2.0.0') },
  ],
  invalid: [
    {
      name: 'fixture old-deprecated 1.0.0',
      input: input(fixture('old-deprecated'), '1.0.0'),
      expected: [
        {
          rule: 'deprecated',
          severity: 'info',
          package: 'old-deprecated',
          version: '1.0.0',
          message:
            'old-deprecated@1.0.0 is marked deprecated in the registry: "1.0.0 corrupts files on Windows; upgrade to 1.0.1". ' +
            'Move to a version that is not deprecated; the note may say which, or why.',
          evidence: { deprecated: '1.0.0 corrupts files on Windows; upgrade to 1.0.1' },
        },
      ],
    },
    {
      name: 'a long or multi-line note is cut in the message and kept whole in evidence',
      input: input(history('pkg', [{ version: '1.0.0', deprecated: `line one\n\n${long}` }]), '1.0.0'),
      expected: [
        {
          rule: 'deprecated',
          severity: 'info',
          package: 'pkg',
          version: '1.0.0',
          message: `pkg@1.0.0 is marked deprecated in the registry: "line one ${'x'.repeat(190)}…". Move to a version that is not deprecated; the note may say which, or why.`,
          evidence: { deprecated: `line one\n\n${long}` },
        },
      ],
    },
  ],
});
