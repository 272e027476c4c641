import http, { type ClientRequest, type IncomingMessage, type OutgoingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { TLSSocket } from 'node:tls';
import type { ClientOptions } from 'minio';
import { readS3Error } from './s3Errors.ts';

type Transport = NonNullable<ClientOptions['transport']>;

/**
 * The HTTP layer shared by the minio client and the adapter's own streaming requests: one
 * keep-alive agent, and time limits on waiting for the server.
 *
 * Why the adapter sends some requests itself (over presigned URLs): minio-js 8 `putObject` reads a
 * stream of up to one part size (64 MiB by default) into memory before sending it, and its
 * `getObject` hides the answer's headers, which carry the object's metadata and the served range.
 */
export interface S3Http {
  transport: Transport;
  agent: http.Agent;
  /** Sends a request without a body and returns the answer when its status is one of `ok`. */
  send(url: string, method: string, headers: OutgoingHttpHeaders, ok: number[]): Promise<IncomingMessage>;
  /**
   * Streams `body` as a PUT and resolves once the server accepted it. Rejects with the body's own
   * error when the body fails (a checked body fails before its last bytes, so the server never
   * gets a complete request), else with the server's answer or the network failure.
   */
  putStream(url: string, headers: OutgoingHttpHeaders, body: Readable): Promise<IncomingMessage>;
  /** Closes idle connections; connections still streaming a body finish first. */
  close(): void;
}

export function createS3Http(protocol: 'http:' | 'https:', timeoutMs: number): S3Http {
  const base = protocol === 'https:' ? https : http;
  const agent = new base.Agent({ keepAlive: true });
  const request = ((...args: Parameters<typeof http.request>) => {
    const outgoing = (base.request as typeof http.request)(...args);
    guardTimeouts(outgoing, timeoutMs);
    return outgoing;
  }) as Transport['request'];

  return {
    transport: { request },
    agent,
    async send(url, method, headers, ok) {
      const outgoing = request(url, { method, headers, agent });
      const answer = answerOf(outgoing, undefined);
      outgoing.end();
      return checked(await answer, ok);
    },
    async putStream(url, headers, body) {
      const outgoing = request(url, { method: 'PUT', headers, agent });
      const sent = pipeline(body, outgoing);
      const response = await answerOf(outgoing, sent);
      if (response.statusCode !== 200) {
        const error = await readS3Error(response);
        outgoing.destroy(); // stop sending the rest of a refused body
        await sent.catch(() => undefined);
        throw error;
      }
      await sent; // settles the body's own outcome too
      response.resume();
      return response;
    },
    close() {
      for (const sockets of Object.values(agent.freeSockets)) {
        for (const socket of sockets ?? []) socket.destroy();
      }
    },
  };
}

/** The answer to `outgoing`, or the first failure of the request or of sending its body. */
function answerOf(outgoing: ClientRequest, sent: Promise<void> | undefined): Promise<IncomingMessage> {
  return new Promise<IncomingMessage>((resolve, reject) => {
    outgoing.once('response', resolve);
    outgoing.on('error', reject); // kept: a later error must not go unhandled
    sent?.catch(reject);
  });
}

async function checked(response: IncomingMessage, ok: number[]): Promise<IncomingMessage> {
  if (ok.includes(response.statusCode ?? 0)) return response;
  throw await readS3Error(response);
}

/**
 * Limits how long a request waits on the server: to accept the connection (TLS included), and to
 * answer once the request is fully sent. Never while the request body is being produced (a slow
 * upload source is the caller's business) nor while an answer's body is consumed.
 */
function guardTimeouts(outgoing: ClientRequest, timeoutMs: number): void {
  let timer: NodeJS.Timeout | undefined;
  const stop = () => clearTimeout(timer);
  const start = (what: string) => {
    stop();
    timer = setTimeout(() => {
      const error = new Error(`Object store did not ${what} within ${timeoutMs} ms.`);
      outgoing.destroy(Object.assign(error, { code: 'ETIMEDOUT' }));
    }, timeoutMs);
  };
  outgoing.once('socket', (socket: Socket) => {
    if (!socket.connecting) return; // a kept-alive connection
    start('accept the connection');
    socket.once(socket instanceof TLSSocket ? 'secureConnect' : 'connect', stop);
  });
  outgoing.once('finish', () => start('answer'));
  outgoing.once('response', stop);
  outgoing.once('close', stop);
}
