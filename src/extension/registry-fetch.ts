/** npm-registry-fetch as the editor loads it: lazily, and on Node's own connection agents, which VS Code's proxy layer can drive. */

import type { RegistryFetch } from '../core/registry/fetch-packument';

/**
 * VS Code wraps `http(s).request` in the extension host with its proxy agent (@vscode/proxy-agent,
 * built on agent-base). For loopback registries (Verdaccio, our fixture registry), and for every host
 * under `http.proxySupport: fallback`, the wrapper connects asynchronously and only then hands the
 * request to the caller's agent. npm's agent (@npmcli/agent, which npm-registry-fetch uses) then
 * sets a `connection` header on a request whose headers are already sent: ERR_HTTP_HEADERS_SENT,
 * thrown where nobody catches it, and the request hangs until it times out
 * (https://github.com/npm/npm-registry-fetch/issues/244, https://github.com/npm/agent/pull/175).
 * Node's own agents set no headers, so requests go through them. TLS options (`ca`, `strictSSL`)
 * still apply: minipass-fetch passes them with each request. When npm's configuration names a
 * proxy, npm's agent stays, because only it speaks npm's proxy settings.
 */
export async function loadEditorFetch(): Promise<RegistryFetch> {
  const [{ registryFetch }, http, https] = await Promise.all([import('../core/registry/pacote-chunk'), import('node:http'), import('node:https')]);
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  const agent = (url: URL) => (url.protocol === 'https:' ? agents.https : agents.http);
  return (url, options) => registryFetch(url, usesNpmProxy(options) ? options : { ...options, agent });
}

function usesNpmProxy(options: Readonly<Record<string, unknown>>): boolean {
  return Boolean(options['proxy'] || options['httpsProxy']);
}
