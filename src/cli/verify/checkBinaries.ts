import { createHash } from 'node:crypto';
import type { ObjectStore } from '../../ports/objectStore.ts';
import type { HeldBinary } from '../gc/heldKeys.ts';

/** Something wrong with the catalog, in words for the operator. */
export interface Inconsistency {
  kind: 'missing-binary' | 'size-mismatch' | 'hash-mismatch' | 'read-model' | 'orphan';
  message: string;
}

/**
 * Checks that every held binary exists with the size and SHA-256 its event recorded, reading
 * and hashing the content (not trusting the store's own record), `concurrency` at a time.
 */
export async function checkBinaries(
  objectStore: ObjectStore,
  binaries: readonly HeldBinary[],
  options: { concurrency: number; onChecked?: (done: number, failed: number) => void },
): Promise<Inconsistency[]> {
  const problems: Inconsistency[] = [];
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < binaries.length) {
      const held = binaries[next++]!;
      const problem = await checkOne(objectStore, held);
      if (problem) problems.push(problem);
      options.onChecked?.(++done, problems.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency) }, worker));
  return problems.sort((a, b) => (a.message < b.message ? -1 : 1));
}

async function checkOne(objectStore: ObjectStore, held: HeldBinary): Promise<Inconsistency | undefined> {
  const info = await objectStore.stat(held.key);
  if (info === null) return { kind: 'missing-binary', message: `${held.key}: missing (an event records ${held.bytes} bytes)` };
  if (info.size !== held.bytes) return { kind: 'size-mismatch', message: `${held.key}: ${info.size} bytes stored, ${held.bytes} recorded` };
  const { body } = await objectStore.get(held.key);
  const hash = createHash('sha256');
  for await (const chunk of body) hash.update(chunk as Buffer);
  const actual = hash.digest('hex');
  if (actual !== held.sha256) return { kind: 'hash-mismatch', message: `${held.key}: content hashes to ${actual}, ${held.sha256} recorded` };
  return undefined;
}
