import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One delivery as the receiver got it, after its signature was verified with `standardwebhooks`. */
export interface Received {
  id: string;
  body: { position: string; stream: string; revision: number; type: string; data: unknown; product: number | null; sku: string | null };
  /** `Date.now()` when it arrived. */
  at: number;
}

/** What the receiver answers an attempt: a status, or `'hang'` (no answer). */
export type Answer = number | 'hang';

export interface WebhookReceiver {
  url: string;
  /** The secret to verify with (set it from the POST answer). */
  secret: string | undefined;
  /** Acknowledged deliveries in arrival order (2xx answered). */
  acknowledged: Received[];
  /** Every verified attempt, acknowledged or not. */
  attempts: Received[];
  /** Attempts whose signature did not verify. */
  rejected: number;
  /** Decides each answer (default 204). */
  answer: (received: Received, attemptOfId: number) => Answer;
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

/** A receiver on 127.0.0.1 that verifies every delivery with the `standardwebhooks` npm package. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const attemptsById = new Map<string, number>();
  const hanging = new Set<IncomingMessage>();
  const receiver: WebhookReceiver = {
    url: '',
    secret: undefined,
    acknowledged: [],
    attempts: [],
    rejected: 0,
    answer: () => 204,
    async waitFor(predicate, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error(`receiver: condition not met in ${timeoutMs} ms (${receiver.acknowledged.length} acknowledged)`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const payload = Buffer.concat(chunks).toString('utf8');
      let body: Received['body'];
      try {
        body = new Webhook(receiver.secret ?? '').verify(payload, req.headers as Record<string, string>) as Received['body'];
      } catch {
        receiver.rejected++;
        res.statusCode = 400;
        return res.end();
      }
      const id = String(req.headers['webhook-id']);
      const attempt = (attemptsById.get(id) ?? 0) + 1;
      attemptsById.set(id, attempt);
      const received = { id, body, at: Date.now() };
      receiver.attempts.push(received);
      const answer = receiver.answer(received, attempt);
      if (answer === 'hang') {
        hanging.add(req);
        return;
      }
      if (answer >= 200 && answer < 300) receiver.acknowledged.push(received);
      res.statusCode = answer;
      res.end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return receiver;
}
