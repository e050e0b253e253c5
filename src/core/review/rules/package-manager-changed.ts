/** Flags a change of package manager: another `packageManager`, another lockfile format, or committed package-manager code. */

import type { Finding } from '../../types';
import { changedManagerCode, inProject } from '../config-diff';
import type { ConfigRule } from './types';

export const packageManagerChanged: ConfigRule = {
  meta: {
    id: 'package-manager-changed',
    defaultSeverity: 'warning',
    description: 'The change switches package manager or its version, or adds or changes package-manager code the repository commits.',
  },
  kind: 'config',
  check: ({ before, after, dir }) => {
    const findings: Finding[] = [];
    if (before !== undefined && before.packageManager !== after.packageManager && (before.packageManager !== undefined || after.packageManager !== undefined)) {
      const file = inProject(dir, 'package.json');
      findings.push({
        rule: 'package-manager-changed',
        severity: 'warning',
        package: file,
        version: '',
        message:
          `${file}: packageManager changes from ${before.packageManager ?? 'unset'} to ${after.packageManager ?? 'unset'}. ` +
          'Corepack downloads and runs the package manager it names on every machine that installs; make sure the version is one you trust (with its +sha512 hash).',
        evidence: { before: before.packageManager ?? null, after: after.packageManager ?? null },
      });
    }
    if (before?.manager !== undefined && after.manager !== undefined && before.manager !== after.manager) {
      const file = inProject(dir, after.lockfile ?? 'package.json');
      findings.push({
        rule: 'package-manager-changed',
        severity: 'warning',
        package: file,
        version: '',
        message:
          `${dir === '' ? 'The project' : dir} moves from ${before.manager} (${before.lockfile ?? 'no lockfile'}) to ${after.manager} (${after.lockfile ?? 'no lockfile'}). ` +
          'Every package is resolved again, and the new manager has its own settings for release age and install scripts: check that the policy moved with it.',
        evidence: { before: before.manager, after: after.manager },
      });
    }
    for (const code of changedManagerCode(before, after)) {
      const file = inProject(dir, code.path);
      findings.push({
        rule: 'package-manager-changed',
        severity: 'error',
        package: file,
        version: '',
        message:
          `${file} is ${code.added ? 'added' : 'changed'}: the package manager runs this file itself on every install in the project, before any package. ` +
          "Make sure it is the package manager's own published release or a hook you have read.",
        evidence: { path: file, change: code.added ? 'added' : 'changed' },
      });
    }
    return findings;
  },
};
