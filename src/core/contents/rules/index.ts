/** The one list of content rules, sorted by id: adding a rule is one file and one line here. */

import type { ContentsRule } from '../types';
import { contentsBinaryAdded } from './contents-binary-added';
import { contentsCapabilityAdded } from './contents-capability-added';
import { contentsObfuscated } from './contents-obfuscated';
import { installScriptTarget } from './install-script-target';
import { manifestMismatch } from './manifest-mismatch';

export const contentsRules: readonly ContentsRule[] = [contentsBinaryAdded, contentsCapabilityAdded, contentsObfuscated, installScriptTarget, manifestMismatch];
