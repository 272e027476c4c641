import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Runs `body` with a fresh directory under the OS temp dir, removed afterwards whatever happens. */
export async function withTempDir<T>(prefix: string, body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  try {
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A progress line on stderr, so stdout keeps only the results. */
export function progress(benchmark: string, message: string): void {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${benchmark}: ${message}\n`);
}
