/** Picks the registry for a package, builds its packument URL, and keeps credentials out of anything shown or stored. */

import { escapePackageName, scopeOf } from './package-name';
import type { RegistryOptions } from './types';

/**
 * The registry base URL (with a trailing slash) for `name`: `scopes['@scope']`, then the
 * `@scope:registry` key of `npmOptions` (as npm and pacote spell it), then `registry`.
 */
export function pickRegistry(name: string, options: Pick<RegistryOptions, 'registry' | 'scopes' | 'npmOptions'>): string {
  const scope = scopeOf(name);
  const fromOptions = scope === undefined ? undefined : options.npmOptions?.[`${scope}:registry`];
  const scoped = scope === undefined ? undefined : (options.scopes?.[scope] ?? (typeof fromOptions === 'string' ? fromOptions : undefined));
  return withTrailingSlash(scoped ?? options.registry);
}

/** `https://host/path/` + escaped name; a registry below a path keeps its path. */
export function packumentUrl(registry: string, name: string): string {
  return withTrailingSlash(registry) + escapePackageName(name);
}

/** The URL without user info, query or fragment, any of which may carry a token. Unparseable input gives `<invalid URL>`. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    // Never echo an unparseable string: it may be a token pasted in the wrong place.
    void error;
    return '<invalid URL>';
  }
  return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
}

/** The host (and port) of a registry URL, for messages: `registry.npmjs.org`. */
export function registryHost(url: string): string {
  try {
    return new URL(url).host;
  } catch (error) {
    void error; // see redactUrl: an unparseable registry is never echoed
    return '<invalid registry URL>';
  }
}

/** Removes user info from URLs, bearer/basic credentials and npm auth settings from free text (error messages from libraries). */
export function redactText(text: string): string {
  return text
    .replace(/(\/\/)[^/\s:@]+(:[^/\s@]*)?@/g, '$1***@')
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, '$1 ***')
    .replace(/(_authToken|_auth|_password|token|password)(["']?\s*[=:]\s*["']?)[^\s"'&,;]+/gi, '$1$2***');
}

function withTrailingSlash(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
