import { PassThrough } from 'node:stream';
import type { CliIo } from '../../src/cli/cliIo.ts';

/** A `CliIo` that keeps what a command wrote, and lets a test press Ctrl-C. */
export interface CapturedIo extends CliIo {
  stdout(): string;
  stderr(): string;
  /** Calls the command's interrupt handler (as a first Ctrl-C would). */
  interrupt(): void;
}

export function captureIo(env: NodeJS.ProcessEnv = {}): CapturedIo {
  let out = '';
  let err = '';
  const outStream = new PassThrough();
  outStream.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const errStream = new PassThrough() as unknown as NodeJS.WriteStream;
  (errStream as unknown as PassThrough).on('data', (chunk: Buffer) => (err += chunk.toString()));
  const handlers = new Set<() => void>();
  return {
    out: outStream,
    err: errStream,
    env,
    setExitCode: () => undefined,
    onInterrupt(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    stdout: () => out,
    stderr: () => err,
    interrupt: () => handlers.forEach((handler) => handler()),
  };
}
