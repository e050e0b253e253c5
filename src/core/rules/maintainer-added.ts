/** Flags a version whose maintainer list names someone who was not a maintainer at the previous publish. */

import { formatList } from '../format';
import type { Rule } from '../types';

export const maintainerAdded: Rule = {
  meta: {
    id: 'maintainer-added',
    defaultSeverity: 'info',
    description: 'Lists a maintainer who was not listed when the previous version was published.',
  },
  check: ({ history, version }) => {
    if (!history.hasMaintainerData) return [];
    const index = history.versions.findIndex((v) => v.version === version);
    const facts = history.versions[index];
    const maintainers = facts?.maintainers;
    if (maintainers === undefined) return [];
    // The list is the package's at publish time, so compare with the version published just before, whatever its line.
    const previous = history.versions
      .slice(0, Math.max(index, 0))
      .reverse()
      .find((v) => v.maintainers !== undefined);
    const before = previous?.maintainers;
    if (previous === undefined || before === undefined) return [];
    const added = maintainers.filter((name) => !before.includes(name));
    if (added.length === 0) return [];
    const quoted = added.map((name) => JSON.stringify(name));
    const plural = added.length > 1;
    return [
      {
        rule: 'maintainer-added',
        severity: 'info',
        package: history.name,
        version,
        message:
          `${history.name}@${version} lists ${plural ? 'new maintainers' : 'a new maintainer'}, ${formatList(quoted)}, ` +
          `who ${plural ? 'were' : 'was'} not listed when ${previous.version} was published. ` +
          'Check that the change is expected (release notes, the repository) before relying on this version; a takeover often starts by adding a maintainer.',
        evidence: { added, previousVersion: previous.version, previousMaintainers: [...before] },
      },
    ];
  },
};
