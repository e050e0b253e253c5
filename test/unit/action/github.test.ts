/** The sticky comment through the GitHub REST API, against a loopback server: found by its marker, posted or edited, a 403 reported as no permission. */

import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { findStickyComment, GitHubApiError, postStickyComment, type GitHubApi } from '../../../src/action/github';

describe('GitHub sticky comment', () => {
  let server: Server;
  let status = 200;
  const log: string[] = [];
  let api: GitHubApi;

  before(async () => {
    server = createServer((req, res) => {
      log.push(`${req.method} ${req.url} ${req.headers.authorization}`);
      req.resume();
      res.statusCode = status;
      res.setHeader('content-type', 'application/json');
      res.end(req.method === 'GET' ? JSON.stringify([{ id: 5, body: 'hi @someone' }, { id: 6, body: '<!-- dependency-risk:pull-request-comment blocking=0 findings=0 -->\nold' }]) : '{"id":6}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    api = { apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, repository: 'octo/app', token: 't0ken', fetch };
  });
  after(() => new Promise((resolve) => server.close(resolve)));
  beforeEach(() => {
    status = 200;
    log.length = 0;
  });

  it('finds the comment by its marker and edits it (control: a new one is posted when there is none)', async () => {
    const existing = await findStickyComment(api, 7);
    assert.deepStrictEqual(existing, { id: 6, body: '<!-- dependency-risk:pull-request-comment blocking=0 findings=0 -->\nold' });
    assert.deepStrictEqual([await postStickyComment(api, 7, 'new', existing), await postStickyComment(api, 7, 'new', undefined)], ['updated', 'created']);
    assert.deepStrictEqual(log, [
      'GET /repos/octo/app/issues/7/comments?per_page=100&page=1 Bearer t0ken',
      'PATCH /repos/octo/app/issues/comments/6 Bearer t0ken',
      'POST /repos/octo/app/issues/7/comments Bearer t0ken',
    ]);
  });

  it('reports a token without pull-requests: write as forbidden, and other failures as errors with the URL and no token', async () => {
    status = 403;
    assert.equal(await postStickyComment(api, 7, 'new', undefined), 'forbidden');
    status = 500;
    await assert.rejects(postStickyComment(api, 7, 'new', undefined), (error: unknown) => error instanceof GitHubApiError && error.status === 500 && !error.message.includes('t0ken') && error.message.includes('/repos/octo/app/issues/7/comments'));
  });
});
