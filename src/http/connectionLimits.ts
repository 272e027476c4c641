import type { Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Caps open connections: `maxTotal` in all (Node refuses more itself), and `maxPerAddress` from
 * one remote address (0: no such cap), so one client cannot hold every socket. A connection over
 * a cap is closed before anything of it is read.
 */
export function limitConnections(server: Server, limits: { maxTotal: number; maxPerAddress: number }): void {
  server.maxConnections = limits.maxTotal;
  if (limits.maxPerAddress <= 0) return;
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const count = (open.get(address) ?? 0) + 1;
    if (count > limits.maxPerAddress) {
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}
