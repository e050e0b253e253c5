/** A loopback registry that misbehaves on purpose (issue 7): wrong content types, endless or huge bodies, gzip bombs, drips and redirects, with a byte count per request. */

import { readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** How the registry answers for one package name; names without a fault get their fixture packument (or 404). */
export type HostileFault =
  /** 200 with an HTML page (a proxy login or captive portal). */
  | { readonly kind: 'html' }
  /** 200 with the real document, but labelled as something other than JSON. */
  | { readonly kind: 'mislabelled'; readonly contentType: string }
  /** 200 with `megabytes` of generated body; with or without Content-Length; optionally a gzip bomb (tiny on the wire). */
  | { readonly kind: 'huge'; readonly megabytes: number; readonly declareLength: boolean; readonly gzip?: boolean }
  /** 200 whose body arrives one byte every `intervalMs`, for ever (until the client hangs up). */
  | { readonly kind: 'drip'; readonly intervalMs: number }
  /** 200 with this exact body and content type. */
  | { readonly kind: 'body'; readonly contentType: string; readonly body: string }
  /** A redirect (`status` 301/302/307/308) to `location`, a path on this server or an absolute URL. */
  | { readonly kind: 'redirect'; readonly status: number; readonly location: string };

export interface HostileRequest {
  readonly url: string;
  readonly host: string;
  readonly authorization?: string;
  /** Body bytes written before the response ended or the client went away. */
  bytesSent: number;
}

export interface HostileRegistry {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  readonly requests: HostileRequest[];
  setFault(name: string, fault: HostileFault | undefined): void;
  /** Resolves once no response is being written. */
  settled(): Promise<void>;
  close(): Promise<void>;
}

const PACKUMENTS = join(__dirname, '..', 'fixtures', 'packuments');
const MEGABYTE = 1024 * 1024;
/** One megabyte of JSON-looking filler, written again and again: the test never holds the whole body. */
const FILLER = Buffer.from(`{"name":"x","padding":"${'x'.repeat(MEGABYTE - 30)}",`.slice(0, MEGABYTE));
/** One megabyte of spaces, gzipped to about a kilobyte; gzip members may be concatenated. */
const BOMB_MEMBER = gzipSync(Buffer.alloc(MEGABYTE, 0x20));

/** Starts the registry on 127.0.0.1 and a free port; fixture packuments come from test/fixtures/packuments. */
export async function startHostileRegistry(): Promise<HostileRegistry> {
  const faults = new Map<string, HostileFault>();
  const requests: HostileRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let writing = 0;
  let idle: Array<() => void> = [];

  const server = createServer((req, res) => {
    const name = decodeURIComponent((req.url ?? '/').slice(1).split('?')[0] ?? '').replace(/^(@[^/]+)%2f/i, '$1/');
    const logged: HostileRequest = { url: req.url ?? '/', host: req.headers.host ?? '', bytesSent: 0, ...(req.headers.authorization === undefined ? {} : { authorization: req.headers.authorization }) };
    requests.push(logged);
    writing++;
    res.on('close', () => {
      if (--writing === 0) {
        for (const resolve of idle) resolve();
        idle = [];
      }
    });
    const write = (chunk: Buffer): boolean => {
      logged.bytesSent += chunk.length;
      return res.write(chunk);
    };
    const fault = faults.get(name);
    switch (fault?.kind) {
      case 'html':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return void res.end('<!doctype html><html><body><h1>Sign in to the proxy</h1></body></html>');
      case 'mislabelled': {
        const text = readFileSync(join(PACKUMENTS, `${name.replace('/', '__')}.json`));
        res.writeHead(200, { 'content-type': fault.contentType, 'content-length': text.length });
        logged.bytesSent += text.length;
        return void res.end(text);
      }
      case 'body': {
        const body = Buffer.from(fault.body, 'utf8');
        res.writeHead(200, { 'content-type': fault.contentType, 'content-length': body.length });
        logged.bytesSent += body.length;
        return void res.end(body);
      }
      case 'huge':
        return pump(res, fault, write);
      case 'drip': {
        res.writeHead(200, { 'content-type': 'application/json' });
        write(Buffer.from('{'));
        const timer = setInterval(() => write(Buffer.from(' ')), fault.intervalMs);
        timers.add(timer);
        res.on('close', () => {
          clearInterval(timer);
          timers.delete(timer);
        });
        return;
      }
      case 'redirect':
        res.writeHead(fault.status, { location: fault.location });
        return void res.end();
      case undefined: {
        let text: Buffer;
        try {
          text = readFileSync(join(PACKUMENTS, `${name.replace('/', '__')}.json`));
        } catch {
          // No such fixture: the registry does not know the package.
          res.writeHead(404, { 'content-type': 'application/json' });
          return void res.end('{"error":"Not found"}');
        }
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': text.length });
        logged.bytesSent += text.length;
        return void res.end(text);
      }
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    requests,
    setFault(name, fault) {
      if (fault === undefined) faults.delete(name);
      else faults.set(name, fault);
    },
    settled() {
      return writing === 0 ? Promise.resolve() : new Promise<void>((resolve) => idle.push(resolve));
    },
    close() {
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

/** Writes a huge body in one-megabyte pieces, respecting backpressure and stopping when the client hangs up. */
function pump(res: ServerResponse, fault: Extract<HostileFault, { kind: 'huge' }>, write: (chunk: Buffer) => boolean): void {
  const piece = fault.gzip === true ? BOMB_MEMBER : FILLER;
  res.writeHead(200, {
    'content-type': 'application/json',
    ...(fault.gzip === true ? { 'content-encoding': 'gzip' } : {}),
    ...(fault.declareLength ? { 'content-length': piece.length * fault.megabytes } : {}),
  });
  let sent = 0;
  const next = (): void => {
    while (sent < fault.megabytes && !res.destroyed) {
      sent++;
      if (!write(piece)) return void res.once('drain', next);
    }
    if (!res.destroyed) res.end();
  };
  next();
}
