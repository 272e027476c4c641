import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SERVICE_NODE_FLAGS } from '../src/nodeFlags.ts';
import { freePort } from '../test/support/childService.ts';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const START_TIMEOUT_MS = 60_000;
const EXIT_TIMEOUT_MS = 60_000;
const POLL_EVERY_MS = 20;

/** The credentials the benchmarks give the service (`API_USERS`) and send back (`Authorization`). */
export const BENCH_API_USERS = 'bench:bench-key-0123456789abcdef';
export const BENCH_AUTHORIZATION = 'Token bench-key-0123456789abcdef';

/** A child process serving HTTP on loopback, until `stop()`. */
export interface ChildServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Spawns `node <SERVICE_NODE_FLAGS> --import tsx <script>` with `env` and a free `PORT` (a
 * baseline server gets the service's Node flags too), and resolves once `GET <readyPath>`
 * answers 200. `stop()` sends SIGTERM and waits for the exit.
 *
 * stdout and stderr go to `logFile`, not to a pipe: the service writes its log synchronously,
 * and a pipe read by this (load-generating, busy) process would stall it on a full pipe buffer.
 */
export async function startChildServer(script: string, env: Record<string, string>, readyPath: string, logFile: string, args: string[] = []): Promise<ChildServer> {
  const port = await freePort();
  const log = openSync(logFile, 'a');
  const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, ...args, '--import', 'tsx', script], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const output = () => readFileSync(logFile, 'utf8').slice(-4000);
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve((exitCode = code))));
  const url = `http://127.0.0.1:${port}`;

  const stop = async (): Promise<void> => {
    if (exitCode !== undefined) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_TIMEOUT_MS);
    const code = await exited;
    clearTimeout(timer);
    if (code !== 0) process.stderr.write(`${script} exited with ${code} after SIGTERM:\n${output()}\n`);
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const status = await fetch(`${url}${readyPath}`).then((response) => response.status, () => undefined);
    if (status === 200) return { url, pid: child.pid!, stop };
    if (exitCode !== undefined) throw new Error(`${script} exited (${exitCode}) before it was ready:\n${output()}`);
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${script} was not ready within ${START_TIMEOUT_MS} ms:\n${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_EVERY_MS));
  }
}

/** The whole service as `npm start` runs it, on `dataDir`, with the bench user and LOG_LEVEL=info. */
export function startServiceChild(dataDir: string, logFile: string, nodeArgs: string[] = [], env: Record<string, string> = {}): Promise<ChildServer> {
  return startChildServer(MAIN, { DATA_DIR: dataDir, API_USERS: BENCH_API_USERS, LOG_LEVEL: 'info', ...env }, '/ready', logFile, nodeArgs);
}
