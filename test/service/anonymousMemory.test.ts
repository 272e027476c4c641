import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnService } from '../support/childService.ts';

const MiB = 1024 * 1024;

async function rssOf(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

/** Starts a 30 MiB anonymous JSON-RPC body, sends what the server takes for `sendMs`, then stalls. */
function stalledBody(port: number, sendMs: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`POST /api/jsonrpc HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${30 * MiB}\r\n\r\n`);
      const chunk = Buffer.alloc(256 * 1024, 0x20);
      const deadline = Date.now() + sendMs;
      const pump = () => {
        while (Date.now() < deadline && !socket.destroyed) if (!socket.write(chunk)) return socket.once('drain', pump);
      };
      pump();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve());
    setTimeout(() => {
      socket.destroy();
      resolve();
    }, sendMs + 3000);
  });
}

test('30 stalled anonymous 30 MiB JSON-RPC bodies grow the service by at most 150 MiB', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'anonymous-memory-'));
  const service = await spawnService({ DATA_DIR: dataDir, API_USERS: 'erp:erp-key-0123456789abcdef', LOG_LEVEL: 'info', BODY_IDLE_TIMEOUT_MS: '2000' });
  try {
    await fetch(`${service.url}/health`);
    const before = await rssOf(service.child.pid!);
    let peak = before;
    const sampler = setInterval(() => void rssOf(service.child.pid!).then((rss) => (peak = Math.max(peak, rss)), () => undefined), 50);
    await Promise.all(Array.from({ length: 30 }, () => stalledBody(service.port, 1500)));
    clearInterval(sampler);
    peak = Math.max(peak, await rssOf(service.child.pid!));
    const growth = (peak - before) / MiB;
    assert.ok(growth <= 150, `grew by ${growth.toFixed(1)} MiB`);
    const health = await fetch(`${service.url}/health`);
    assert.is(health.status, 200, 'and it still answers');
  } finally {
    service.child.kill('SIGTERM');
    await service.exited;
    await rm(dataDir, { recursive: true, force: true });
  }
});

test.run();
