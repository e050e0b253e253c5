/** Entry point of the lazily loaded registry chunk (dist/pacote.js): pacote, npm-registry-fetch and their dependencies. */
import npmRegistryFetch from 'npm-registry-fetch';
import type { RegistryFetch } from './fetch-packument';

export { packument, manifest, tarball } from 'pacote';

/** npm-registry-fetch (pacote's own fetch layer), typed by what the registry client uses of it. */
export const registryFetch: RegistryFetch = (url, options) => npmRegistryFetch(url, options);
