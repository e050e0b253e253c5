/** Entry point of the lazily loaded parser chunk (dist/parsers.js): YAML, Yarn's Syml and TOML readers, kept out of the entry bundles. */
export { parseAllDocuments, parseDocument, isMap, isSeq, isScalar, isPair, LineCounter } from 'yaml';
export { parseSyml } from '@yarnpkg/parsers';
export { parse as parseToml } from 'smol-toml';
