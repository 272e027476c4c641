import type { IncomingMessage } from 'node:http';

export type LimitedBody = { text: string; tooLarge?: undefined } | { tooLarge: true };

/**
 * Reads a request body of at most `limit` bytes. A larger one is read to its end and thrown
 * away (the server's request timeout bounds that), so the client still gets an answer on the
 * same connection rather than a reset while it is sending. Plain `data`/`end` events rather than
 * async iteration, which costs a fifth of a small JSON-RPC call.
 */
export function readLimitedBody(request: IncomingMessage, limit: number): Promise<LimitedBody> {
  return new Promise((resolve, reject) => {
    let tooLarge = Number(request.headers['content-length']) > limit;
    let size = 0;
    const chunks: Buffer[] = [];
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    };
    const onEnd = () => {
      cleanUp();
      resolve(tooLarge ? { tooLarge: true } : { text: Buffer.concat(chunks, size).toString('utf8') });
    };
    const onError = (error: Error) => {
      cleanUp();
      reject(error);
    };
    // Without `end` first, a close means the client went away mid-body.
    const onClose = () => onError(new Error('The client closed the connection before the body ended.'));
    const cleanUp = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('close', onClose);
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('close', onClose);
  });
}
