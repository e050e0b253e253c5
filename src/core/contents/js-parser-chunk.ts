/** Entry point of the lazily loaded JavaScript parser chunk (dist/js-parser.js): acorn, kept out of the entry bundles. */
export { parse } from 'acorn';
