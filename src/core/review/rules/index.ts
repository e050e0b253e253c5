/** The one list of lockfile and review rules (`diff`; `audit` runs integrity-mismatch too), sorted by id. */

import { downgrade } from './downgrade';
import { integrityMismatch } from './integrity-mismatch';
import { integrityMissing } from './integrity-missing';
import { lockfileInconsistent } from './lockfile-inconsistent';
import { lockfileIntegrityChanged } from './lockfile-integrity-changed';
import { lockfileSourceChanged } from './lockfile-source-changed';
import { nonRegistrySource } from './non-registry-source';
import { packageManagerChanged } from './package-manager-changed';
import { policyWeakened } from './policy-weakened';
import { tarballUrlMismatch } from './tarball-url-mismatch';
import type { ReviewRule } from './types';
import { versionNotInRegistry } from './version-not-in-registry';

export const reviewRules: readonly ReviewRule[] = [
  downgrade,
  integrityMismatch,
  integrityMissing,
  lockfileInconsistent,
  lockfileIntegrityChanged,
  lockfileSourceChanged,
  nonRegistrySource,
  packageManagerChanged,
  policyWeakened,
  tarballUrlMismatch,
  versionNotInRegistry,
];
