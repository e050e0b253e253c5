/** Finds, posts and edits the Action's one sticky pull-request comment through the GitHub REST API. */

import { isStickyComment } from './comment';

export interface GitHubApi {
  /** `GITHUB_API_URL`, e.g. `https://api.github.com`; the token is sent to this origin only. */
  readonly apiUrl: string;
  /** `owner/name`. */
  readonly repository: string;
  readonly token: string;
  readonly fetch: typeof fetch;
}

export interface StickyComment {
  readonly id: number;
  readonly body: string;
}

/** What happened to the comment; `forbidden` when the token may not write to pull requests (a fork, `contents: read` only). */
export type PostResult = 'created' | 'updated' | 'forbidden';

/**
 * The comment whose body starts with our marker, among the pull request's first 1,000 comments
 * (10 pages of 100). Throws on an HTTP error, with the status and URL (no token).
 */
export async function findStickyComment(api: GitHubApi, issue: number): Promise<StickyComment | undefined> {
  for (let page = 1; page <= 10; page++) {
    const list = (await request(api, 'GET', `/repos/${api.repository}/issues/${issue}/comments?per_page=100&page=${page}`)) as unknown;
    if (!Array.isArray(list)) return undefined;
    for (const item of list as unknown[]) {
      if (typeof item !== 'object' || item === null) continue;
      const { id, body } = item as { id?: unknown; body?: unknown };
      if (typeof id === 'number' && typeof body === 'string' && isStickyComment(body)) return { id, body };
    }
    if (list.length < 100) return undefined;
  }
  return undefined;
}

/** Posts a new comment, or edits `existing`. A 403 is `forbidden`, not an error: the review is still in the job summary. */
export async function postStickyComment(api: GitHubApi, issue: number, body: string, existing: StickyComment | undefined): Promise<PostResult> {
  try {
    if (existing === undefined) await request(api, 'POST', `/repos/${api.repository}/issues/${issue}/comments`, { body });
    else await request(api, 'PATCH', `/repos/${api.repository}/issues/comments/${existing.id}`, { body });
  } catch (error) {
    if (error instanceof GitHubApiError && error.status === 403) return 'forbidden';
    throw error;
  }
  return existing === undefined ? 'created' : 'updated';
}

/** A non-2xx answer from the GitHub API. */
export class GitHubApiError extends Error {
  constructor(
    readonly status: number,
    readonly url: string,
  ) {
    super(`The GitHub API answered ${status} for ${url}.`);
    this.name = 'GitHubApiError';
  }
}

async function request(api: GitHubApi, method: string, path: string, json?: unknown): Promise<unknown> {
  const url = `${api.apiUrl.replace(/\/+$/, '')}${path}`;
  const response = await api.fetch(url, {
    method,
    headers: {
      accept: 'application/vnd.github+json',
      authorization: `Bearer ${api.token}`,
      'x-github-api-version': '2022-11-28',
      'user-agent': 'dependency-risk-action',
      ...(json === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
    signal: AbortSignal.timeout(30_000),
  });
  if (!response.ok) {
    await response.body?.cancel();
    throw new GitHubApiError(response.status, url);
  }
  return response.status === 204 ? undefined : ((await response.json()) as unknown);
}
