import { spawn } from 'node:child_process';
import { get } from 'node:http';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { SERVICE_NODE_FLAGS } from '../src/nodeFlags.ts';
import { freePort } from '../test/support/childService.ts';
import { elapsedMs } from './measure.ts';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const API_USERS = 'bench:bench-key-0123456789abcdef';
const POLL_EVERY_MS = 5;
const EXIT_TIMEOUT_MS = 60_000;

/**
 * Starts the whole service as `npm start` does (`node --import tsx src/main.ts`) on `dataDir`,
 * and returns the milliseconds from spawn to the first 200 from `GET /ready` (polled every few ms).
 * Then stops it with SIGTERM and waits for it to exit, so the next start finds its files closed.
 */
export async function timeServiceToReady(dataDir: string, timeoutMs: number): Promise<number> {
  const port = await freePort();
  const start = performance.now();
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, '--import', 'tsx', MAIN], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), DATA_DIR: dataDir, API_USERS, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => void (output = (output + chunk).slice(-4000)));
  child.stderr.on('data', (chunk) => void (output = (output + chunk).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));

  try {
    for (;;) {
      if ((await readyStatus(port)) === 200) return elapsedMs(start);
      if (exitCode !== undefined) throw new Error(`the service exited (${exitCode}) before it was ready:\n${output}`);
      if (elapsedMs(start) > timeoutMs) throw new Error(`the service was not ready within ${timeoutMs} ms:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, POLL_EVERY_MS));
    }
  } finally {
    if (exitCode === undefined) {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_TIMEOUT_MS);
      const code = await exited;
      clearTimeout(timer);
      if (code !== 0) process.stderr.write(`service exited with ${code} after SIGTERM:\n${output}\n`);
    }
  }
}

/** The status of `GET /ready`, or undefined while nothing listens yet. */
function readyStatus(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const request = get({ host: '127.0.0.1', port, path: '/ready', agent: false, timeout: 2000 }, (response) => {
      response.resume();
      resolve(response.statusCode);
    });
    request.once('timeout', () => request.destroy());
    request.once('error', () => resolve(undefined));
  });
}
