/** Requests one packument (conditionally, with an ETag) through npm-registry-fetch, with a timeout, retries and backoff. */

import { PackumentFilter, type FilterResult } from './packument-filter';

/** What the client needs of a response: npm-registry-fetch returns a minipass-fetch Response, whose body is async-iterable. */
export interface RegistryResponse {
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  readonly body: AsyncIterable<Uint8Array | string>;
}

/** The options we hand npm-registry-fetch: the caller's npm options plus our own request settings. */
export interface RegistryFetchOptions {
  readonly [key: string]: unknown;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeout: number;
  readonly retry: { readonly retries: number };
  readonly signal: AbortSignal;
}

/** npm-registry-fetch's call shape, as exported by the lazily loaded chunk. Rejects for HTTP status >= 400. */
export type RegistryFetch = (url: string, options: RegistryFetchOptions) => Promise<RegistryResponse>;

/** How one request ended; only `document` and `not-modified` are answers, the rest are failures. */
export type FetchOutcome =
  /** The document's JSON text; only the members buildHistory reads when the request asked for `historyOnly`. */
  | { readonly kind: 'document'; readonly text: string; readonly etag?: string; readonly lastModified?: string }
  /** The body is not a JSON document (found while filtering it for `historyOnly`). */
  | { readonly kind: 'not-json'; readonly message: string }
  | { readonly kind: 'not-modified' }
  | { readonly kind: 'http-error'; readonly status: number; readonly retryAfterMs?: number }
  | { readonly kind: 'timeout' }
  /** The host could not be reached at all (DNS failure, connection refused): the machine is probably offline. */
  | { readonly kind: 'unreachable'; readonly code: string }
  | { readonly kind: 'network-error'; readonly code: string; readonly message: string }
  /** The body passed MAX_DOCUMENT_BYTES (decompressed) and was abandoned. */
  | { readonly kind: 'too-large'; readonly limitBytes: number };

export interface PackumentRequest {
  readonly url: string;
  readonly etag?: string;
  readonly lastModified?: string;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly signal?: AbortSignal;
  readonly npmOptions?: Readonly<Record<string, unknown>>;
  /**
   * Keep only what buildHistory reads, filtering the body as it arrives (PackumentFilter): a 20 MB
   * packument then never sits in memory whole, and JSON.parse sees a fraction of it.
   */
  readonly historyOnly?: boolean;
}

export interface FetchDeps {
  readonly fetch: RegistryFetch;
  /** Waits `ms`; rejects with the signal's reason when it aborts. */
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** In [0, 1): spreads retries of many clients apart. */
  readonly random: () => number;
  /** The wall clock, for Retry-After dates. */
  readonly now: () => Date;
}

/** The largest packument we read: the biggest real ones (next, typescript) are ~10-25 MB; beyond this a registry is hostile or broken. */
export const MAX_DOCUMENT_BYTES = 128 * 1024 * 1024;
/** First retry waits about this long; each further one doubles it. */
export const BACKOFF_BASE_MS = 500;
/** A Retry-After longer than this ends the retries: the caller is told to try later instead of hanging. */
export const MAX_RETRY_AFTER_MS = 30_000;

const UNREACHABLE_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ECONNECTIONTIMEOUT', 'EIDLETIMEOUT', 'ERESPONSETIMEOUT', 'ETRANSFERTIMEOUT']);

/**
 * Fetches the full packument at `request.url`. Sends `If-None-Match` (or `If-Modified-Since`) when
 * given, so a 304 comes back as `not-modified`. Retries 408/429/5xx, timeouts and dropped connections
 * with exponential backoff (honouring Retry-After up to MAX_RETRY_AFTER_MS); never retries answers
 * such as 404 or unreachable hosts. Rejects only when `request.signal` aborts.
 */
export async function fetchPackument(request: PackumentRequest, deps: FetchDeps): Promise<{ outcome: FetchOutcome; attempts: number }> {
  for (let attempt = 0; ; attempt++) {
    const outcome = await fetchOnce(request, deps);
    if (attempt >= request.retries || !isRetriable(outcome)) return { outcome, attempts: attempt + 1 };
    const backoff = BACKOFF_BASE_MS * 2 ** attempt * (1 + deps.random() / 2);
    const delay = outcome.kind === 'http-error' && outcome.retryAfterMs !== undefined ? outcome.retryAfterMs : backoff;
    if (delay > MAX_RETRY_AFTER_MS) return { outcome, attempts: attempt + 1 };
    await deps.sleep(delay, request.signal);
  }
}

async function fetchOnce(request: PackumentRequest, deps: FetchDeps): Promise<FetchOutcome> {
  request.signal?.throwIfAborted();
  // Our own timer covers the whole exchange, body included; npm-registry-fetch's `timeout` only
  // bounds idle sockets. Retries are ours too (`retries: 0` below), so Retry-After can be honoured.
  const timer = new AbortController();
  const timeout = setTimeout(() => timer.abort(), request.timeoutMs);
  // The caller's signal stops this request through one listener, removed when the request ends:
  // AbortSignal.any would register a dependent signal on the caller's long-lived one per request.
  const onAbort = () => timer.abort(request.signal?.reason);
  request.signal?.addEventListener('abort', onAbort, { once: true });
  const signal = timer.signal;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (request.etag !== undefined) headers['if-none-match'] = request.etag;
  else if (request.lastModified !== undefined) headers['if-modified-since'] = request.lastModified;
  try {
    const response = await deps.fetch(request.url, {
      ...request.npmOptions,
      headers: { ...stringRecord(request.npmOptions?.['headers']), ...headers },
      timeout: request.timeoutMs,
      retry: { retries: 0 },
      signal,
      // Our cache holds compact histories; make-fetch-happen's HTTP cache would store whole
      // packuments (up to ~20 MB each) and answer 304s itself, hiding them from us.
      cache: undefined,
      offline: false,
      preferOffline: false,
      preferOnline: false,
    });
    if (response.status === 304) return { kind: 'not-modified' };
    // A declared length past the cap is refused before a byte is read (issue 7). With gzip it is the
    // compressed length, which a document within the cap cannot exceed by more than a few bytes.
    if (Number(response.headers.get('content-length')) > MAX_DOCUMENT_BYTES) {
      timer.abort(); // stop the download
      return { kind: 'too-large', limitBytes: MAX_DOCUMENT_BYTES };
    }
    const read = await readBody(response.body, MAX_DOCUMENT_BYTES, request.historyOnly === true);
    if (read === undefined) {
      timer.abort(); // stop the download
      return { kind: 'too-large', limitBytes: MAX_DOCUMENT_BYTES };
    }
    if (!read.ok) return { kind: 'not-json', message: read.message };
    const text = read.text;
    const etag = response.headers.get('etag');
    const lastModified = response.headers.get('last-modified');
    return { kind: 'document', text, ...(etag === null ? {} : { etag }), ...(lastModified === null ? {} : { lastModified }) };
  } catch (error) {
    request.signal?.throwIfAborted();
    if (timer.signal.aborted) return { kind: 'timeout' };
    return classifyError(error, deps.now());
  } finally {
    clearTimeout(timeout);
    request.signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * The body as UTF-8 text (filtered down to what buildHistory reads when `historyOnly`), or
 * undefined once it grows past `limit` bytes.
 */
async function readBody(body: AsyncIterable<Uint8Array | string>, limit: number, historyOnly: boolean): Promise<FilterResult | undefined> {
  const filter = historyOnly ? new PackumentFilter() : undefined;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    size += buffer.length;
    if (size > limit) return undefined;
    if (filter === undefined) chunks.push(buffer);
    else filter.write(buffer);
  }
  return filter === undefined ? { ok: true, text: Buffer.concat(chunks, size).toString('utf8') } : filter.end();
}

function classifyError(error: unknown, now: Date): FetchOutcome {
  const record = isRecord(error) ? error : {};
  const status = record['statusCode'];
  if (typeof status === 'number') {
    const retryAfterMs = parseRetryAfter(headerValue(record['headers'], 'retry-after'), now);
    return { kind: 'http-error', status, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
  }
  const code = typeof record['code'] === 'string' ? record['code'] : typeof record['type'] === 'string' ? record['type'] : 'EUNKNOWN';
  if (TIMEOUT_CODES.has(code) || record['type'] === 'request-timeout' || record['type'] === 'body-timeout') return { kind: 'timeout' };
  if (UNREACHABLE_CODES.has(code)) return { kind: 'unreachable', code };
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'network-error', code, message };
}

function isRetriable(outcome: FetchOutcome): boolean {
  switch (outcome.kind) {
    case 'http-error':
      return outcome.status === 408 || outcome.status === 429 || outcome.status >= 500;
    case 'timeout':
      return true;
    case 'network-error':
      // A redirect loop gives the same answer every time (issue 7).
      return outcome.code !== 'EMAXREDIRECT';
    default:
      return false;
  }
}

/** Retry-After as delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: Date): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP date always names a weekday and a month; Date.parse alone would read "-1" as a year.
  const at = /[a-z]/i.test(trimmed) ? Date.parse(trimmed) : NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/** A header from npm-registry-fetch's error, whose `headers` is minipass-fetch's raw `{ name: string[] }`. */
function headerValue(headers: unknown, name: string): string | undefined {
  if (!isRecord(headers)) return undefined;
  const value = headers[name];
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

function stringRecord(value: unknown): Record<string, string> {
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
