/** Entry point of the lazily loaded registry chunk (dist/pacote.js): pacote, npm-registry-fetch and their dependencies. */
import npmRegistryFetch from 'npm-registry-fetch';
import type { RegistryFetch } from './fetch-packument';

export { packument, manifest, tarball } from 'pacote';

/** npm-registry-fetch (pacote's own fetch layer), narrowed to what the registry client uses of its response. */
export const registryFetch: RegistryFetch = async (url, options) => {
  const response = await npmRegistryFetch(url, options);
  return { status: response.status, headers: response.headers, body: response.body ?? noBody() };
};

async function* noBody(): AsyncIterable<Uint8Array> {
  // A 304 or HEAD answer has no body stream; an empty one reads the same.
}
