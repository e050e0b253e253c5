/** Entry point of the lazily loaded registry chunk (dist/pacote.js): pacote and its dependencies. */
export { packument, manifest, tarball } from 'pacote';
