/** Entry point of the lazily loaded registry chunk (dist/pacote.js): pacote, npm-registry-fetch, make-fetch-happen and their dependencies. */
import makeFetchHappen from 'make-fetch-happen';
import npmRegistryFetch from 'npm-registry-fetch';
import type { RegistryFetch, RegistryFetchOptions, RegistryResponse } from './fetch-packument';
import { redactUrl } from './registry-url';

export { packument, manifest, tarball } from 'pacote';

/** Redirects followed per request: registries redirect at most once or twice (to a CDN or a canonical path). */
export const MAX_REDIRECTS = 5;

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const USER_AGENT = `dependency-risk (node ${process.version}; ${process.platform} ${process.arch})`;

/** What npm-registry-fetch's credential lookup returns for a URL. */
interface Auth {
  readonly token: string | null;
  readonly auth: string | null;
  readonly cert: string | null;
  readonly key: string | null;
}

const getAuth = (npmRegistryFetch as unknown as { getAuth(uri: string, options: Readonly<Record<string, unknown>>): Auth }).getAuth;

/**
 * npm-registry-fetch's request, with redirects followed here rather than by make-fetch-happen.
 *
 * Credentials are chosen for every hop by npm-registry-fetch's own nerf-dart lookup (the longest
 * `//host[:port]/path/` prefix of that hop's URL configured with `_authToken`, `_auth`, `username` +
 * `_password`, or a client certificate), so a redirect to another host, port or path carries only
 * what is configured for that URL, usually nothing. make-fetch-happen, which npm-registry-fetch
 * delegates redirects to, would keep the `authorization` header whenever the host name stays the
 * same, even on another port or path, and npm-registry-fetch offers no way to turn its redirects off.
 * A redirect from https to plain http is refused. Rejects for HTTP status >= 400 with an error
 * carrying `statusCode` and the raw `headers`, as npm-registry-fetch does.
 */
export const registryFetch: RegistryFetch = async (url, options) => {
  let current = url;
  for (let hop = 0; ; hop++) {
    const response = hop === 0 ? await requestOnce(current, options) : await requestRedirected(url, current, options);
    if (!REDIRECTS.has(response.status)) {
      if (response.status >= 400) {
        await discard(response.body);
        throw httpError(response.status, current, response.headers.raw());
      }
      return { status: response.status, headers: response.headers, body: response.body ?? noBody() };
    }
    await discard(response.body);
    const location = response.headers.get('location');
    if (location === null || !URL.canParse(location, current)) throw fetchError('EINVALIDREDIRECT', `${redactUrl(current)} answered ${response.status} without a usable Location`);
    if (hop >= MAX_REDIRECTS) throw fetchError('EMAXREDIRECT', `${redactUrl(url)} redirected more than ${MAX_REDIRECTS} times`);
    const next = new URL(location, current);
    if (next.protocol !== 'https:' && next.protocol !== 'http:') throw fetchError('EINVALIDREDIRECT', `${redactUrl(current)} redirected to a ${next.protocol} URL`);
    if (new URL(current).protocol === 'https:' && next.protocol === 'http:') {
      throw fetchError('EREDIRECTDOWNGRADE', `${redactUrl(current)} redirected to plain http (${redactUrl(next.href)}); not followed`);
    }
    current = next.href;
  }
};

/**
 * A request to where the registry redirected. Its connection failures are not the registry's: they
 * come back as `EREDIRECTTARGET` (a retried network error) rather than as, say, ECONNREFUSED, which
 * would mark the registry itself unreachable for the rest of the run.
 */
async function requestRedirected(original: string, target: string, options: RegistryFetchOptions): Promise<RawResponse> {
  try {
    return await requestOnce(target, options);
  } catch (error) {
    options.signal.throwIfAborted();
    const code = typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : 'EUNKNOWN';
    throw fetchError('EREDIRECTTARGET', `${redactUrl(original)} redirected to ${redactUrl(target)}, which failed (${code})`);
  }
}

/** minipass-fetch's response, as far as this module reads it. */
interface RawResponse {
  readonly status: number;
  readonly headers: RegistryResponse['headers'] & { raw(): Record<string, string[]> };
  readonly body: (AsyncIterable<Uint8Array | string> & { resume?: () => void }) | null;
}

async function requestOnce(url: string, options: RegistryFetchOptions): Promise<RawResponse> {
  const auth = getAuth(url, options);
  const headers: Record<string, string> = { 'user-agent': USER_AGENT, ...options.headers };
  if (auth.token) headers['authorization'] = `Bearer ${auth.token}`;
  else if (auth.auth) headers['authorization'] = `Basic ${auth.auth}`;
  const secure = url.startsWith('https:');
  // npm sends every request through `https-proxy || proxy`; its documentation (and Yarn) pick by scheme.
  const proxy = secure ? (options['httpsProxy'] ?? options['proxy']) : (options['proxy'] ?? options['httpsProxy']);
  return (await makeFetchHappen(url, {
    method: 'GET',
    headers,
    redirect: 'manual',
    agent: options['agent'],
    ca: options['ca'],
    cert: auth.cert ?? options['cert'],
    key: auth.key ?? options['key'],
    strictSSL: options['strictSSL'],
    proxy,
    noProxy: options['noProxy'],
    retry: options.retry,
    timeout: options.timeout,
    signal: options.signal,
    // No HTTP cache: the caller keeps compact histories (or nothing) and needs to see every 304.
    cache: 'no-store',
  } as Record<string, unknown>)) as unknown as RawResponse;
}

function httpError(status: number, url: string, headers: Record<string, string[]>): Error {
  return Object.assign(new Error(`${status} from ${redactUrl(url)}`), { statusCode: status, code: `E${status}`, headers });
}

function fetchError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

/** Reads a body to its end so the connection can be reused; a failure here changes nothing for the caller. */
async function discard(body: AsyncIterable<Uint8Array | string> | null): Promise<void> {
  if (body === null) return;
  try {
    for await (const chunk of body) void chunk;
  } catch (error) {
    void error; // the status already says what happened; a broken error body adds nothing
  }
}

async function* noBody(): AsyncIterable<Uint8Array> {
  // A 304 or HEAD answer has no body stream; an empty one reads the same.
}
