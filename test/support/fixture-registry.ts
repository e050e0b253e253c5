/** A loopback npm registry for tests: serves packuments from a folder or memory, with ETag/304, gzip, failures and a request log. */

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer as createHttpServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * How the registry answers requests for one package. The behaviour applies to the first `times`
 * requests after `setBehaviour` (every request when `times` is undefined); later requests are
 * served normally. Parts combine: `delayMs` waits before any of the others.
 */
export interface FixtureBehaviour {
  /** Wait this long before answering (the request counts as in flight meanwhile). */
  readonly delayMs?: number;
  /** Answer with this status and a JSON `{ error }` body instead of the document. */
  readonly status?: number;
  /** `Retry-After` header value, sent with `status`. */
  readonly retryAfter?: string;
  /** Destroy the connection without answering (the client sees ECONNRESET). */
  readonly reset?: boolean;
  /** Serve a broken body with status 200: cut in half, or not JSON at all. */
  readonly body?: 'truncated' | 'invalid-json';
  /** Answer 401 unless the request's `authorization` header equals this. */
  readonly requireAuthorization?: string;
  /** Answer `redirectStatus` (default 302) with this `Location` (absolute, or relative to the request). */
  readonly redirectTo?: string;
  readonly redirectStatus?: 301 | 302 | 303 | 307 | 308;
  /** How many requests the behaviour applies to; undefined means all of them. */
  readonly times?: number;
}

/** One request as the registry saw it. */
export interface LoggedRequest {
  readonly method: string;
  /** The raw request path, e.g. `/@scope%2fname`. */
  readonly url: string;
  /** The package name the path decoded to, when it names one. */
  readonly name?: string;
  /** Lower-cased request headers, `authorization` included, exactly as received. */
  readonly headers: IncomingHttpHeaders;
  /** The status sent, or 0 when the connection was reset. */
  readonly status: number;
  /** `gzip` when the body was compressed. */
  readonly encoding: 'gzip' | 'identity';
}

export interface FixtureRegistryOptions {
  /**
   * Folder of packuments, default test/fixtures/packuments. `<name>.json`; a scoped `@scope/name`
   * (requested as `/@scope%2fname` or `/@scope/name`) is the file `@scope__name.json`.
   */
  readonly dir?: string;
  /** Documents served from memory, by package name; they take precedence over files. */
  readonly documents?: Readonly<Record<string, unknown>>;
  /** Serve HTTPS with this PEM key and certificate (see test/fixtures/tls) instead of plain HTTP. */
  readonly tls?: { readonly key: string | Buffer; readonly cert: string | Buffer };
  /**
   * Serve packuments below this path too (`/private/` makes `/private/@scope%2fname` a request for
   * `@scope/name`), as registries under a path (Artifactory, Nexus) do. The root keeps working.
   */
  readonly basePath?: string;
}

export interface FixtureRegistry {
  /** Base URL with a trailing slash, e.g. `http://127.0.0.1:41234/` (`https:` with `tls`). */
  readonly url: string;
  /** `host:port`, e.g. `127.0.0.1:41234`. */
  readonly host: string;
  /** Every request so far, oldest first. */
  readonly requests: LoggedRequest[];
  /** The most requests that were in flight at once since start (or `resetStats`). */
  readonly maxInFlight: number;
  setBehaviour(name: string, behaviour: FixtureBehaviour | undefined): void;
  /** Adds or replaces a document (an object, or raw text served as is); `undefined` makes the name 404. */
  setDocument(name: string, doc: unknown): void;
  /** Serves `data` at `/<name>/-/<basename>-<version>.tgz`, as npm lays out tarball URLs. */
  setTarball(name: string, version: string, data: Buffer): void;
  /** The strong ETag the registry sends for a document now; undefined when it would answer 404. */
  etag(name: string): Promise<string | undefined>;
  /** Resolves once `count` requests have arrived since start (or `resetStats`), answered or not. */
  received(count: number): Promise<void>;
  /** Resolves once no request is in flight (e.g. after a client aborted one, whose log entry then exists). */
  settled(): Promise<void>;
  /** Empties the request log and the in-flight high-water mark. */
  resetStats(): void;
  close(): Promise<void>;
}

const DEFAULT_DIR = join(__dirname, '..', 'fixtures', 'packuments');
const NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[A-Za-z0-9][A-Za-z0-9._~!'()*-]*$/;

/** Starts the registry on 127.0.0.1 and a free port. Close it in the suite's `after`. */
export async function startFixtureRegistry(options: FixtureRegistryOptions = {}): Promise<FixtureRegistry> {
  const dir = options.dir ?? DEFAULT_DIR;
  /** name -> served text; `null` marks a name deleted at runtime. */
  const documents = new Map<string, string | null>(Object.entries(options.documents ?? {}).map(([name, doc]) => [name, serialise(doc)]));
  const tarballs = new Map<string, Buffer>();
  const behaviours = new Map<string, { behaviour: FixtureBehaviour; used: number }>();
  const requests: LoggedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const sockets = new Set<Socket>();
  let inFlight = 0;
  let maxInFlight = 0;
  let waitingForIdle: Array<() => void> = [];
  let arrived = 0;
  let waitingForArrivals: Array<{ count: number; resolve: () => void }> = [];

  const loadDocument = async (name: string): Promise<string | undefined> => {
    const known = documents.get(name);
    if (known !== undefined) return known ?? undefined;
    try {
      return await readFile(join(dir, `${name.replace('/', '__')}.json`), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  };

  /** Waits `ms`, or less if the client goes away first (then the request leaves the in-flight count at once). */
  const wait = (ms: number, res: ServerResponse) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        timers.delete(timer);
        res.off('close', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      timers.add(timer);
      res.on('close', done);
    });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = req.url ?? '/';
    const tarball = tarballs.get(url.split('?')[0] ?? '');
    const base = options.basePath;
    const name = packageNameOf(base !== undefined && url.startsWith(base) ? `/${url.slice(base.length).replace(/^\//, '')}` : url);
    const log = (status: number, encoding: LoggedRequest['encoding'] = 'identity'): void => {
      requests.push({ method: req.method ?? 'GET', url, ...(name === undefined ? {} : { name }), headers: { ...req.headers }, status, encoding });
    };

    if (tarball !== undefined) {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': tarball.length });
      res.end(tarball);
      return log(200);
    }
    const state = name === undefined ? undefined : behaviours.get(name);
    const behaviour = state !== undefined && (state.behaviour.times === undefined || state.used < state.behaviour.times) ? state.behaviour : undefined;
    if (state !== undefined && behaviour !== undefined) state.used++;

    if (behaviour?.delayMs !== undefined) await wait(behaviour.delayMs, res);
    if (res.destroyed) return log(0);
    if (behaviour?.reset === true) {
      req.socket.destroy();
      return log(0);
    }
    if (behaviour?.requireAuthorization !== undefined && req.headers.authorization !== behaviour.requireAuthorization) {
      return sendJson(401, { error: 'authentication required' });
    }
    if (behaviour?.redirectTo !== undefined) {
      const status = behaviour.redirectStatus ?? 302;
      res.writeHead(status, { location: behaviour.redirectTo, 'content-length': 0 });
      res.end();
      return log(status);
    }
    if (behaviour?.status !== undefined) {
      const extra: Record<string, string> = behaviour.retryAfter === undefined ? {} : { 'retry-after': behaviour.retryAfter };
      return sendJson(behaviour.status, { error: `fixture status ${behaviour.status}` }, extra);
    }
    const text = name === undefined ? undefined : await loadDocument(name);
    if (text === undefined) return sendJson(404, { error: 'Not found' });

    const etag = etagOf(text);
    if (matchesEtag(req.headers['if-none-match'], etag)) {
      res.writeHead(304, { etag });
      res.end();
      return log(304);
    }
    let body = Buffer.from(text, 'utf8');
    if (behaviour?.body === 'truncated') body = body.subarray(0, Math.floor(body.length / 2));
    if (behaviour?.body === 'invalid-json') body = Buffer.from('<html>Service temporarily unavailable</html>');
    const gzip = acceptsGzip(req.headers['accept-encoding']);
    if (gzip) body = gzipSync(body);
    res.writeHead(200, {
      'content-type': 'application/json',
      'content-length': body.length,
      etag,
      vary: 'accept-encoding',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    });
    res.end(body);
    return log(200, gzip ? 'gzip' : 'identity');

    function sendJson(status: number, value: unknown, headers: Record<string, string> = {}): void {
      const json = JSON.stringify(value);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json), ...headers });
      res.end(json);
      log(status);
    }
  };

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    arrived++;
    waitingForArrivals = waitingForArrivals.filter((waiter) => (waiter.count <= arrived ? (waiter.resolve(), false) : true));
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    handle(req, res)
      .catch((error: unknown) => {
        // A bug in the fixture itself: answer 500 so the test fails visibly rather than hanging.
        if (!res.headersSent) res.writeHead(500).end(String(error));
      })
      .finally(() => {
        inFlight--;
        if (inFlight === 0) {
          for (const resolve of waitingForIdle) resolve();
          waitingForIdle = [];
        }
      });
  };
  const server = options.tls === undefined ? createHttpServer(listener) : createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, listener);
  // Raw TCP sockets, for HTTPS too: destroying them on close also ends their TLS sessions.
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `${options.tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}/`,
    host: `127.0.0.1:${port}`,
    requests,
    get maxInFlight() {
      return maxInFlight;
    },
    setBehaviour(name, behaviour) {
      if (behaviour === undefined) behaviours.delete(name);
      else behaviours.set(name, { behaviour, used: 0 });
    },
    setDocument(name, doc) {
      documents.set(name, doc === undefined ? null : serialise(doc));
    },
    setTarball(name, version, data) {
      const base = name.startsWith('@') ? name.slice(name.indexOf('/') + 1) : name;
      tarballs.set(`/${name}/-/${base}-${version}.tgz`, data);
    },
    async etag(name) {
      const text = await loadDocument(name);
      return text === undefined ? undefined : etagOf(text);
    },
    received(count) {
      return count <= arrived ? Promise.resolve() : new Promise<void>((resolve) => waitingForArrivals.push({ count, resolve }));
    },
    settled() {
      return inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => waitingForIdle.push(resolve));
    },
    resetStats() {
      requests.length = 0;
      maxInFlight = inFlight;
      arrived = 0;
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/** `/name`, `/@scope%2fname`, `/@scope/name` -> the package name; anything else (tarballs, `/-/` APIs, traversal) -> undefined. */
function packageNameOf(url: string): string | undefined {
  let path: string;
  try {
    path = decodeURIComponent((url.split('?')[0] ?? '').slice(1));
  } catch {
    return undefined; // malformed escapes name no package
  }
  return NAME.test(path) ? path : undefined;
}

/** Weak comparison, as If-None-Match requires (RFC 9110 13.1.2); `*` matches any document. */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const strip = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || strip(tag) === etag);
}

function acceptsGzip(header: string | undefined): boolean {
  if (header === undefined) return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)).find((m) => m !== null);
    return (coding === 'gzip' || coding === '*') && (q === undefined || q === null || Number(q[1]) > 0);
  });
}

function etagOf(text: string): string {
  return `"${createHash('sha256').update(text).digest('hex').slice(0, 32)}"`;
}

function serialise(doc: unknown): string {
  return typeof doc === 'string' ? doc : JSON.stringify(doc);
}
