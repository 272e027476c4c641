import type { IncomingMessage } from 'node:http';

export type LimitedBody = { text: string; tooLarge?: undefined } | { tooLarge: true };

/**
 * Reads a request body of at most `limit` bytes. A larger one is read to its end and thrown
 * away (the server's request timeout bounds that), so the client still gets an answer on the
 * same connection rather than a reset while it is sending.
 */
export async function readLimitedBody(request: IncomingMessage, limit: number): Promise<LimitedBody> {
  let tooLarge = Number(request.headers['content-length']) > limit;
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) tooLarge = true;
    if (!tooLarge) chunks.push(chunk);
  }
  if (tooLarge) return { tooLarge: true };
  return { text: Buffer.concat(chunks, size).toString('utf8') };
}
