import { Agent, createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buffer as readAll } from 'node:stream/consumers';

export interface RoundRobinProxy {
  url: string;
  /** Requests each upstream answered, in upstream order. */
  readonly served: number[];
  stop(): Promise<void>;
}

/**
 * A load balancer for tests, as the compose cluster's nginx: every request goes to the next
 * upstream in turn, whatever the client; an upstream that refuses the connection (a killed
 * instance) is skipped for the next one, as nginx's `proxy_next_upstream error` does. Bodies are
 * read whole first (tests send small ones), so a request can be sent again to another upstream.
 */
export async function startRoundRobinProxy(upstreams: readonly string[]): Promise<RoundRobinProxy> {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const served = upstreams.map(() => 0);
  let next = 0;

  const forward = (upstream: string, incoming: IncomingMessage, body: Buffer) =>
    new Promise<IncomingMessage>((resolve, reject) => {
      const target = new URL(incoming.url ?? '/', upstream);
      const outgoing = request(target, { method: incoming.method, headers: { ...incoming.headers, host: target.host }, agent }, resolve);
      outgoing.on('error', reject);
      outgoing.end(body);
    });

  const server: Server = createServer((incoming, response) => {
    void (async () => {
      const body = await readAll(incoming);
      for (let attempt = 0; attempt < upstreams.length; attempt++) {
        const index = next++ % upstreams.length;
        try {
          const answer = await forward(upstreams[index]!, incoming, body);
          served[index]! += 1;
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
          response.on('close', () => answer.destroy());
          return;
        } catch {
          // Refused or reset before an answer: the next upstream gets the request.
        }
      }
      response.writeHead(502, { 'content-type': 'application/json' }).end('{"detail":"No upstream answered."}');
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    served,
    async stop() {
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
