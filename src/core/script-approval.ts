/** Plans the package.json edit that approves or denies a package's install scripts, in the package manager's own setting. */

import { parse as parseJsonc } from 'jsonc-parser';
import { setJsonValue } from './fix';
import type { LockfileFormat, TextEdit } from './types';

export interface ScriptDecision {
  /** What the quick fix is called. */
  readonly title: string;
  /** The setting it writes, for the log and tests. */
  readonly setting: string;
  readonly edits: readonly TextEdit[];
}

/**
 * The approve and deny edits for `name@version` in the root package.json, as each manager reads them:
 * npm `allowScripts` (approval pinned to the reviewed version, as `npm install-scripts approve`
 * writes it; denial by name), Yarn Berry `dependenciesMeta[name].built`, Bun `trustedDependencies`
 * (approval only: removing the name is Bun's denial), pnpm `pnpm.onlyBuiltDependencies` /
 * `pnpm.ignoredBuiltDependencies` when no pnpm-workspace.yaml holds the settings. Yarn classic runs
 * every script and has no such setting. Decisions whose edit cannot be made safely are left out.
 */
export function scriptDecisions(
  format: LockfileFormat | undefined,
  rootManifestText: string,
  name: string,
  version: string,
  options: { readonly hasPnpmWorkspace?: boolean } = {},
): ScriptDecision[] {
  const decisions: ScriptDecision[] = [];
  const add = (title: string, setting: string, edits: TextEdit[] | undefined) => {
    if (edits) decisions.push({ title, setting, edits });
  };
  const list = (path: readonly string[]) => {
    const value = valueAt(rootManifestText, path);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  };
  switch (format) {
    case undefined:
    case 'npm':
      add(`Approve install script of ${name}@${version} in allowScripts`, 'allowScripts', setJsonValue(rootManifestText, ['allowScripts', `${name}@${version}`], true));
      add(`Deny install scripts of ${name} in allowScripts`, 'allowScripts', setJsonValue(rootManifestText, ['allowScripts', name], false));
      break;
    case 'yarn-berry':
      add(`Allow ${name} to build (dependenciesMeta)`, 'dependenciesMeta', setJsonValue(rootManifestText, ['dependenciesMeta', name, 'built'], true));
      add(`Never build ${name} (dependenciesMeta)`, 'dependenciesMeta', setJsonValue(rootManifestText, ['dependenciesMeta', name, 'built'], false));
      break;
    case 'bun': {
      const trusted = list(['trustedDependencies']);
      if (!trusted.includes(name)) {
        add(`Trust ${name}'s install scripts (trustedDependencies)`, 'trustedDependencies', setJsonValue(rootManifestText, ['trustedDependencies'], [...trusted, name]));
      } else {
        add(`Stop trusting ${name}'s install scripts (trustedDependencies)`, 'trustedDependencies', setJsonValue(rootManifestText, ['trustedDependencies'], trusted.filter((t) => t !== name)));
      }
      break;
    }
    case 'pnpm': {
      if (options.hasPnpmWorkspace) break;
      const only = list(['pnpm', 'onlyBuiltDependencies']);
      const ignored = list(['pnpm', 'ignoredBuiltDependencies']);
      if (!only.includes(name)) add(`Allow ${name} to build (pnpm.onlyBuiltDependencies)`, 'pnpm.onlyBuiltDependencies', setJsonValue(rootManifestText, ['pnpm', 'onlyBuiltDependencies'], [...only, name]));
      if (!ignored.includes(name)) add(`Never build ${name} (pnpm.ignoredBuiltDependencies)`, 'pnpm.ignoredBuiltDependencies', setJsonValue(rootManifestText, ['pnpm', 'ignoredBuiltDependencies'], [...ignored, name]));
      break;
    }
    case 'yarn-classic':
      break;
  }
  return decisions;
}

function valueAt(text: string, path: readonly string[]): unknown {
  let value: unknown = parseJsonc(text, [], { allowTrailingComma: true });
  for (const key of path) {
    if (!value || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}
