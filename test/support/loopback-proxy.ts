/** A tiny forward proxy on 127.0.0.1 for tests: plain HTTP requests in absolute form and CONNECT tunnels, each recorded; it only ever connects to 127.0.0.1. */

import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

/** One request the proxy received. */
export interface ProxiedRequest {
  /** `GET`, or `CONNECT` for a tunnel. */
  readonly method: string;
  /** The absolute URL (`http://127.0.0.1:1234/name`) or, for CONNECT, `host:port`. */
  readonly target: string;
  readonly headers: IncomingHttpHeaders;
}

export interface LoopbackProxy {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  readonly requests: ProxiedRequest[];
  close(): Promise<void>;
}

/** Starts the proxy on a free port. Targets other than 127.0.0.1 are refused with 403, so a test can never reach the network through it. */
export async function startLoopbackProxy(): Promise<LoopbackProxy> {
  const requests: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const target = req.url ?? '';
    requests.push({ method: req.method ?? 'GET', target, headers: { ...req.headers } });
    let url: URL;
    try {
      url = new URL(target);
    } catch (error) {
      void error; // origin-form requests are not proxy requests
      res.writeHead(400).end('absolute-form request expected');
      return;
    }
    if (url.hostname !== '127.0.0.1' || url.protocol !== 'http:') {
      res.writeHead(403).end('loopback only');
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const upstream = httpRequest({ host: '127.0.0.1', port: url.port, method: req.method, path: url.pathname + url.search, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.headersSent ? res.destroy() : res.writeHead(502).end('upstream failed'));
    req.pipe(upstream);
  });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    const target = req.url ?? '';
    requests.push({ method: 'CONNECT', target, headers: { ...req.headers } });
    const [host, port] = target.split(':');
    if (host !== '127.0.0.1' || port === undefined) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = connect(Number(port), '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
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
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
