import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { SERVICE_NODE_FLAGS } from '../../src/nodeFlags.ts';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

export interface ChildService {
  child: ChildProcessWithoutNullStreams;
  port: number;
  url: string;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Runs `src/main.ts` (the composition root) in a child process, as `npm start` does. */
export async function spawnService(env: Record<string, string>, options: { waitForListening?: boolean } = {}): Promise<ChildService> {
  const port = Number(env.PORT ?? (await freePort()));
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, '--import', 'tsx', MAIN], {
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'info', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const service: ChildService = { child, port, url: `http://127.0.0.1:${port}`, stdout: () => stdout, stderr: () => stderr, exited };
  if (options.waitForListening ?? true) {
    const deadline = Date.now() + 20_000;
    while (!stdout.includes('"msg":"listening"')) {
      if (child.exitCode !== null) throw new Error(`service exited early: ${stderr}`);
      if (Date.now() > deadline) {
        child.kill('SIGKILL'); // never leave a process behind a failed test
        throw new Error(`service did not start: ${stderr}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  return service;
}
