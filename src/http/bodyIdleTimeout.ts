import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Cuts a request whose body stalls: while something reads the body (the request is flowing) and
 * no byte arrives on its connection for `idleMs`, it ends with a JSON 408 and the connection is
 * closed, so a client that sends a little and then nothing holds no memory or socket for long.
 * Only the client's silence counts: time the service itself keeps the body paused (backpressure,
 * a decision still to make) does not. Requests without a body are not watched.
 *
 * It watches the connection's byte count on a timer rather than listening for `data`: a listener
 * would start the body flowing before its parser is attached, and lose what it read.
 */
export function watchBodyIdle(req: IncomingMessage, res: ServerResponse, idleMs: number): void {
  const length = req.headers['content-length'];
  if (length === '0' || (length === undefined && req.headers['transfer-encoding'] === undefined)) return;
  const socket = req.socket;
  const every = Math.max(25, Math.floor(idleMs / 4));
  let lastBytes = socket.bytesRead;
  let idle = 0;
  const timer = setInterval(() => {
    if (req.complete || socket.destroyed) return stop();
    const bytes = socket.bytesRead;
    const waitingOnClient = req.readableFlowing === true && !socket.isPaused();
    idle = bytes !== lastBytes || !waitingOnClient ? 0 : idle + every;
    lastBytes = bytes;
    if (idle >= idleMs) expire();
  }, every);
  timer.unref();
  function stop() {
    clearInterval(timer);
    req.off('end', stop);
    req.off('close', stop);
  }
  function expire() {
    stop();
    if (!res.headersSent) {
      const body = JSON.stringify({ detail: `The request body sent nothing for ${idleMs} ms.` });
      res.writeHead(408, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), Connection: 'close' });
      res.end(body);
    }
    // Whatever is still coming is not read: the connection ends here.
    socket.destroySoon();
    setTimeout(() => socket.destroy(), 1000).unref();
  }
  req.once('end', stop);
  req.once('close', stop);
}
