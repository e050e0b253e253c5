/** Flags a version its maintainers marked deprecated, quoting their message without interpreting it. */

import { quote } from '../format';
import { findVersion } from '../history';
import type { Rule } from '../types';

export const deprecated: Rule = {
  meta: {
    id: 'deprecated',
    defaultSeverity: 'info',
    description: 'The version is marked deprecated in the registry.',
  },
  check: ({ history, version }) => {
    const message = findVersion(history, version)?.deprecated;
    if (message === undefined) return [];
    return [
      {
        rule: 'deprecated',
        severity: 'info',
        package: history.name,
        version,
        message:
          `${history.name}@${version} is marked deprecated in the registry: ${quote(message)}. ` +
          'Move to a version that is not deprecated; the note may say which, or why.',
        evidence: { deprecated: message },
      },
    ];
  },
};
