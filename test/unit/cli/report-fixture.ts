/** A hand-made AuditReport for the formatter and exit-code tests: direct, transitive, hostile and unchecked cases. */

import type { AuditReport, Finding } from '../../../src/core/types';

export const freshRelease: Finding = {
  rule: 'fresh-release',
  severity: 'warning',
  package: 'chalk',
  version: '5.6.1',
  message: 'chalk@5.6.1 was published 3 hours ago; the policy asks for 7 days.',
  evidence: { publishedAt: '2025-08-09T21:00:00.000Z', minReleaseAgeDays: 7 },
  location: { file: 'package.json', offset: 250, length: 8, line: 12, column: 16 },
};

export const installScriptAdded: Finding = {
  rule: 'install-script-added',
  severity: 'error',
  package: 'chalk',
  version: '5.6.1',
  message: 'chalk@5.6.1 adds a postinstall script in a patch release; 5.6.0 had none.',
  evidence: { postinstall: 'node bundle.js', previousVersion: '5.6.0', releaseType: 'patch' },
  location: { file: '/work/project/package-lock.json', offset: 900, length: 20, line: 40, column: 5 },
};

export const publisherChanged: Finding = {
  rule: 'publisher-changed',
  severity: 'warning',
  package: 'debug',
  version: '4.4.2',
  message: 'debug@4.4.2 was published by newuser, who never published debug before.',
  evidence: { publisher: 'newuser', previousPublishers: ['qix', 'tjholowaychuk'] },
  location: { file: 'package-lock.json', offset: 1800, length: 24, line: 80, column: 5 },
  via: ['express', 'debug'],
};

/** Attacker-controlled text: ANSI escapes, a C1 CSI, a carriage return, a bidi override. */
export const hostile: Finding = {
  rule: 'deprecated',
  severity: 'info',
  package: 'evil\u001b[2J',
  version: '1.0.0',
  message: 'evil@1.0.0 is deprecated: \u001b[31mall good\u001b[0m\rOK',
  evidence: { deprecated: 'line one\nline two \u009b31m\u202eReversed', flags: null, ok: true },
};

export const sampleReport: AuditReport = {
  schemaVersion: 1,
  root: '/work/project',
  now: '2025-08-10T00:00:00.000Z',
  policy: {
    minReleaseAgeDays: 7,
    minReleaseAgeExclude: [],
    allowScripts: {},
    severities: {},
    include: ['prod', 'dev', 'optional', 'peer'],
    ignore: [],
    origins: { minReleaseAgeDays: 'default' },
  },
  findings: [hostile, freshRelease, publisherChanged, installScriptAdded],
  packages: [
    { name: 'left-pad', version: '1.3.0', direct: true, dev: false, optional: false, source: 'registry', checked: false, reason: 'not found' },
    { name: 'chalk', version: '5.6.1', direct: true, dev: false, optional: false, source: 'registry', checked: true },
    { name: 'debug', version: '4.4.2', direct: false, dev: false, optional: false, source: 'registry', checked: true },
    { name: 'express', version: '4.21.2', direct: true, dev: false, optional: false, source: 'registry', checked: true },
    { name: 'evil\u001b[2J', version: '1.0.0', direct: true, dev: true, optional: false, source: 'registry', checked: true },
    { name: 'my-lib', version: 'github:me/my-lib', direct: true, dev: false, optional: false, source: 'git', checked: false, reason: 'not from the registry; not checked' },
  ],
  errors: [
    { package: 'left-pad@1.3.0', kind: 'not-found', message: 'left-pad@1.3.0 was not found in the registry (404).' },
    { file: '.npmrc', kind: 'config', message: 'min-release-age is "soon", not a number of days; using 7.' },
  ],
  fixes: [],
};

/** The same report with no findings and everything checked. */
export const cleanReport: AuditReport = {
  ...sampleReport,
  findings: [],
  packages: sampleReport.packages.filter((pkg) => pkg.checked),
  errors: [],
};

/** What the engine returns for a folder without package.json. */
export const fatalReport: AuditReport = {
  ...sampleReport,
  findings: [],
  packages: [],
  errors: [{ kind: 'fatal', file: 'package.json', message: '/work/empty has no readable package.json: nothing to audit.' }],
};
