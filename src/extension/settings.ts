/** Reads the `dependencyRisk.*` settings for one resource, checked and defaulted, as one typed object. */

import * as vscode from 'vscode';
import type { NetworkDefaults } from '../core/registry/registry-settings';
import type { DependencyKind, SeverityLevel } from '../core/types';

export const SECTION = 'dependencyRisk';

export interface Settings {
  readonly enable: boolean;
  /** Undefined: the project's policy, else the default. */
  readonly minimumReleaseAgeDays?: number;
  readonly followProjectPolicy: boolean;
  readonly severity: Readonly<Record<string, SeverityLevel>>;
  readonly include: readonly DependencyKind[];
  readonly ignore: readonly string[];
  /** Undefined in an untrusted workspace, whatever the workspace's settings say. */
  readonly registry?: string;
  readonly offline: boolean;
  /** Whether the workspace is trusted: its .npmrc, .yarnrc.yml and bunfig.toml are read only then. */
  readonly trusted: boolean;
  /** VS Code's `http.proxy`, `http.noProxy` and `http.proxyStrictSSL`, used where the package manager's files say nothing. */
  readonly network: NetworkDefaults;
  /** Inspect the published tarballs of flagged versions in the background (content rules). */
  readonly inspectContents: boolean;
}

const KINDS: readonly DependencyKind[] = ['prod', 'dev', 'optional', 'peer'];
const LEVELS: readonly SeverityLevel[] = ['error', 'warning', 'info', 'off'];

export function readSettings(resource?: vscode.Uri): Settings {
  const config = vscode.workspace.getConfiguration(SECTION, resource);
  const days = config.get<unknown>('minimumReleaseAgeDays');
  const severity: Record<string, SeverityLevel> = {};
  const rawSeverity = config.get<unknown>('severity');
  if (rawSeverity && typeof rawSeverity === 'object') {
    for (const [rule, level] of Object.entries(rawSeverity as Record<string, unknown>)) {
      if (LEVELS.includes(level as SeverityLevel)) severity[rule] = level as SeverityLevel;
    }
  }
  const include = stringArray(config.get<unknown>('include')).filter((k): k is DependencyKind => KINDS.includes(k as DependencyKind));
  const registry = config.get<unknown>('registry');
  const trusted = vscode.workspace.isTrusted;
  return {
    enable: config.get<unknown>('enable') !== false,
    minimumReleaseAgeDays: typeof days === 'number' && Number.isFinite(days) && days >= 0 ? days : undefined,
    followProjectPolicy: config.get<unknown>('followProjectPolicy') !== false,
    severity,
    include: include.length > 0 ? include : KINDS,
    ignore: stringArray(config.get<unknown>('ignore')),
    registry: trusted && typeof registry === 'string' && /^https?:\/\//.test(registry) ? registry : undefined,
    offline: config.get<unknown>('offline') === true,
    trusted,
    inspectContents: config.get<unknown>('inspectContents') === true,
    network: readNetworkDefaults(),
  };
}

/**
 * VS Code's proxy settings, from the user's own settings only: they are application-scoped, and a
 * workspace must not be able to route requests (with credentials) through a proxy of its choosing.
 */
function readNetworkDefaults(): NetworkDefaults {
  const http = vscode.workspace.getConfiguration('http');
  const user = (key: string): unknown => {
    const inspected = http.inspect<unknown>(key);
    return inspected?.globalValue ?? inspected?.defaultValue;
  };
  const proxy = user('proxy');
  const noProxy = stringArray(user('noProxy')).filter((host) => host.trim() !== '');
  return {
    ...(typeof proxy === 'string' && /^(https?|socks[45]?h?):\/\//i.test(proxy.trim()) ? { proxy: proxy.trim() } : {}),
    ...(noProxy.length > 0 ? { noProxy } : {}),
    ...(user('proxyStrictSSL') === false ? { proxyStrictSSL: false } : {}),
  };
}

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
