/** Reads the release-age and install-script policy of the project's package manager and turns it into the project part of the Policy. */

import { join } from 'node:path';
import type { ProjectPolicySources } from './policy';
import type { ManagerPolicy } from './lockfile/types';
import type { PackageManager } from './lockfile';
import type { AuditError, Manifest } from './types';
import { configList, configString, type NpmConfig } from './registry/npm-config';
import { readBotPolicy } from './bot-policy';

export interface ManagerPolicyInput {
  readonly root: string;
  readonly manager: PackageManager;
  readonly rootManifest: Manifest;
  readonly rootManifestText: string;
  readonly npmConfig: NpmConfig;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly readText: (path: string) => Promise<string | undefined>;
}

/**
 * The project's own policy, as the package manager that installs it reads it: npm from the .npmrc
 * chain (`min-release-age`, `min-release-age-exclude`) and package.json `allowScripts`; pnpm from
 * pnpm-workspace.yaml; Yarn from .yarnrc.yml and `dependenciesMeta`; Bun from bunfig.toml and
 * `trustedDependencies`. A setting of one manager never applies to another's installs. When the
 * manager sets no minimum age, Renovate's `minimumReleaseAge` or Dependabot's `cooldown` is used.
 */
export async function readProjectPolicy(input: ManagerPolicyInput): Promise<{ sources: ProjectPolicySources; errors: AuditError[] }> {
  const own = await readOwnPolicy(input);
  if (own.sources.minReleaseAge) return own;
  // The manager sets no age: take the update bots' waiting period, so the editor agrees with them.
  const bots = await readBotPolicy(input.root, input.readText);
  return bots ? { ...own, sources: { ...own.sources, minReleaseAge: { value: String(bots.value), origin: bots.origin }, ageGate: undefined } } : own;
}

async function readOwnPolicy(input: ManagerPolicyInput): Promise<{ sources: ProjectPolicySources; errors: AuditError[] }> {
  if (input.manager === 'npm') return { sources: npmPolicy(input.npmConfig, input.rootManifest), errors: [] };
  const policy = await readManagerPolicy(input);
  const errors = policy.errors.map((e) => ({ kind: 'config', ...e }));
  return {
    sources: {
      minReleaseAge: policy.minReleaseAgeDays ? { value: String(policy.minReleaseAgeDays.value), origin: policy.minReleaseAgeDays.origin } : undefined,
      minReleaseAgeExclude: policy.minReleaseAgeExclude,
      allowScripts: policy.scriptApprovals?.value,
      allowScriptsOrigin: policy.scriptApprovals?.origin,
      ageGate: GATES[input.manager],
      trustPolicy: policy.trustPolicy,
    },
    errors,
  };
}

/** What each manager does with a version younger than its own minimum release age. */
const GATES: Readonly<Record<PackageManager, string>> = {
  npm: 'npm will not install it (min-release-age)',
  pnpm: 'pnpm will refuse to install it (minimumReleaseAge)',
  yarn: 'Yarn will not resolve to it (npmMinimalAgeGate)',
  bun: 'Bun will refuse to install it (minimumReleaseAge)',
};

function npmPolicy(npmConfig: NpmConfig, manifest: Manifest): ProjectPolicySources {
  const minAge = configString(npmConfig, 'min-release-age');
  const exclude = configList(npmConfig, 'min-release-age-exclude');
  return {
    minReleaseAge: minAge !== undefined ? { value: minAge, origin: `${npmConfig.origins.get('min-release-age') ?? '.npmrc'} min-release-age` } : undefined,
    minReleaseAgeExclude: exclude.length ? { value: exclude, origin: `${npmConfig.origins.get('min-release-age-exclude') ?? '.npmrc'} min-release-age-exclude` } : undefined,
    allowScripts: manifest.allowScripts,
    ageGate: GATES.npm,
  };
}

async function readManagerPolicy(input: ManagerPolicyInput): Promise<ManagerPolicy> {
  const file = async (name: string) => {
    const text = await input.readText(join(input.root, name));
    return text === undefined ? undefined : { file: name, text };
  };
  const packageJson = { file: 'package.json', text: input.rootManifestText };
  switch (input.manager) {
    case 'pnpm': {
      const { readPnpmPolicy } = await import('./lockfile/pnpm-policy');
      return readPnpmPolicy({ workspaceYaml: await file('pnpm-workspace.yaml'), packageJson, packageManager: input.rootManifest.packageManager });
    }
    case 'yarn': {
      const { readYarnPolicy } = await import('./lockfile/yarn-policy');
      return readYarnPolicy({ yarnrc: await file('.yarnrc.yml'), packageJson, env: input.env });
    }
    case 'bun': {
      const { readBunPolicy } = await import('./lockfile/bun-policy');
      return readBunPolicy({ bunfig: await file('bunfig.toml'), packageJson });
    }
    case 'npm':
      return { manager: 'npm', errors: [] };
  }
}
