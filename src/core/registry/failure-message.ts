/** Turns a failed registry lookup into a HistoryResult status and a message that names the package and says what to do. */

import type { FetchOutcome } from './fetch-packument';
import { redactText } from './registry-url';
import type { LookupFailure } from './types';

export interface Failure {
  readonly status: LookupFailure;
  readonly message: string;
}

/** Failures from the network answer; `document` and `not-modified` are not failures and are not accepted here. */
type FailedOutcome = Exclude<FetchOutcome, { kind: 'document' } | { kind: 'not-modified' }>;

/**
 * Describes a failed request for `name` to `host`. 404 is `not-found`, 401/403 `unauthorized`, an
 * unreachable host `offline`, a timeout `timeout`, anything else `error`. Messages carry the host
 * only, never a URL or credentials.
 */
export function describeFetchFailure(name: string, host: string, outcome: FailedOutcome, attempts: number, timeoutMs: number): Failure {
  const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
  switch (outcome.kind) {
    case 'http-error':
      if (outcome.status === 404) {
        return fail('not-found', `${name} was not found on ${host}: a typo, a removed package, or a private package needing credentials.`);
      }
      if (outcome.status === 401 || outcome.status === 403) {
        return fail('unauthorized', `${name}: ${host} refused access (HTTP ${outcome.status}); check the credentials for ${host} in .npmrc.`);
      }
      if (outcome.retryAfterMs !== undefined && (outcome.status === 429 || outcome.status === 503)) {
        const seconds = Math.ceil(outcome.retryAfterMs / 1000);
        return fail('error', `${name}: ${host} answered HTTP ${outcome.status} after ${tries} and asks to wait ${seconds} s; try again later.`);
      }
      return fail('error', `${name}: ${host} answered HTTP ${outcome.status} after ${tries}; try again later.`);
    case 'timeout':
      return fail('timeout', `${name}: ${host} did not answer within ${formatSeconds(timeoutMs)} (${tries}); check the network, or raise the timeout.`);
    case 'unreachable':
      return fail('offline', `${name}: ${host} cannot be reached (${outcome.code}) and nothing is cached for it; check the network and the registry setting.`);
    case 'network-error':
      return fail('error', `${name}: the connection to ${host} failed (${outcome.code}: ${outcome.message}) after ${tries}; try again later.`);
    case 'not-json':
      return describeBadDocument(name, host, `not valid JSON: ${outcome.message}`);
    case 'too-large':
      return fail('error', `${name}: ${host} sent a packument larger than ${Math.round(outcome.limitBytes / 1024 / 1024)} MB, which was not read; check the registry setting.`);
  }
}

/** The package is not cached and offline mode forbids a request. */
export function describeOfflineMiss(name: string): Failure {
  return fail('offline', `${name}: nothing is cached for it, and offline mode sends no requests; run once online to fill the cache.`);
}

/** The registry answered, but not with a usable packument. */
export function describeBadDocument(name: string, host: string, problem: string): Failure {
  return fail('error', `${name}: ${host} sent an unusable packument (${problem}); try again later.`);
}

/** The name was refused before any request. */
export function describeInvalidName(name: string, reason: string): Failure {
  const shown = JSON.stringify(name.length > 100 ? `${name.slice(0, 100)}…` : name);
  return fail('error', `${shown} is not a valid npm package name (${reason}); it was not looked up.`);
}

/** Something unexpected, e.g. the registry chunk failed to load. */
export function describeUnexpected(name: string, problem: string): Failure {
  return fail('error', `${name}: the registry lookup failed unexpectedly (${problem}); see the log.`);
}

/**
 * Why a package was checked against cached facts, and how old they are:
 * "registry unreachable; used facts cached 3 days ago (2025-10-02T12:00:00.000Z)".
 */
export function describeStaleFacts(fetchedAt: string, because: LookupFailure | 'offline-mode' | undefined, now: Date): string {
  const why =
    because === 'offline-mode'
      ? 'offline mode'
      : because === 'timeout'
        ? 'registry timed out'
        : because === 'offline' || because === undefined
          ? 'registry unreachable'
          : 'registry failed';
  return `${why}; used facts cached ${formatAge(now.getTime() - Date.parse(fetchedAt))} (${fetchedAt})`;
}

/** `3 days ago`, `5 hours ago`, `12 minutes ago`, `just now`; a time after `now` reads as `just now`. */
export function formatAge(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (!(minutes >= 1)) return 'just now';
  const [value, unit] = minutes < 60 ? [minutes, 'minute'] : minutes < 48 * 60 ? [Math.floor(minutes / 60), 'hour'] : [Math.floor(minutes / 1440), 'day'];
  return `${value} ${unit}${value === 1 ? '' : 's'} ago`;
}

function fail(status: LookupFailure, message: string): Failure {
  return { status, message: redactText(message) };
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
