/** onNodeAgents: requests go through Node's own agents, except when .npmrc or the environment names a proxy (npm's agent speaks it). */

import assert from 'node:assert/strict';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { RegistryFetch, RegistryFetchOptions } from '../../../src/core/registry/fetch-packument';
import { onNodeAgents } from '../../../src/core/registry/node-agents';

const options: RegistryFetchOptions = { headers: {}, timeout: 1000, retry: { retries: 0 }, signal: new AbortController().signal };

/** The options each call reached npm-registry-fetch with. */
function recorder(): { fetch: RegistryFetch; seen: Array<Readonly<Record<string, unknown>>> } {
  const seen: Array<Readonly<Record<string, unknown>>> = [];
  const fetch: RegistryFetch = async (_url, given) => {
    seen.push(given);
    return { status: 304, headers: { get: () => null }, body: (async function* () {})() };
  };
  return { seen, fetch };
}

describe('onNodeAgents', () => {
  it('hands npm-registry-fetch a Node keep-alive agent per protocol when no proxy is configured', async () => {
    const { fetch, seen } = recorder();
    await (await onNodeAgents(fetch, {}))('https://registry.example/pkg', options);
    const agent = seen[0]?.['agent'] as (url: URL) => unknown;
    assert.ok(agent(new URL('https://registry.example/')) instanceof HttpsAgent);
    assert.ok(agent(new URL('http://127.0.0.1:4873/')) instanceof HttpAgent);
  });

  for (const [what, npmOptions, env] of [
    ['.npmrc proxy', { proxy: 'http://proxy.example:8080' }, {}],
    ['.npmrc https-proxy', { httpsProxy: 'http://proxy.example:8080' }, {}],
    ['HTTPS_PROXY', {}, { HTTPS_PROXY: 'http://proxy.example:8080' }],
    ['http_proxy', {}, { http_proxy: 'http://proxy.example:8080' }],
  ] as const) {
    it(`keeps npm's agent when ${what} names a proxy`, async () => {
      const { fetch, seen } = recorder();
      await (await onNodeAgents(fetch, env))('https://registry.example/pkg', { ...options, ...npmOptions });
      assert.deepStrictEqual(seen, [{ ...options, ...npmOptions }]);
    });
  }

  it('treats an empty proxy variable as none (control)', async () => {
    const { fetch, seen } = recorder();
    await (await onNodeAgents(fetch, { HTTPS_PROXY: '' }))('https://registry.example/pkg', options);
    assert.equal(typeof seen[0]?.['agent'], 'function');
  });
});
