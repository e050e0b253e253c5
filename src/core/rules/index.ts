/** The one list of version-history rules, sorted by id: adding a rule is one file and one line here. */

import type { Rule } from '../types';
import { deprecated } from './deprecated';
import { freshRange } from './fresh-range';
import { freshRelease } from './fresh-release';
import { installScriptAdded } from './install-script-added';
import { installScriptChanged } from './install-script-changed';
import { maintainerAdded } from './maintainer-added';
import { provenanceDropped } from './provenance-dropped';
import { publisherChanged } from './publisher-changed';
import { unpublished } from './unpublished';

export const rules: readonly Rule[] = [
  deprecated,
  freshRange,
  freshRelease,
  installScriptAdded,
  installScriptChanged,
  maintainerAdded,
  provenanceDropped,
  publisherChanged,
  unpublished,
];
