import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openLmdbEventStore } from '../../src/adapters/lmdb/lmdbEventStore.ts';
import { comparePositions, type RecordedEvent } from '../../src/ports/eventStore.ts';

const APPENDER = fileURLToPath(new URL('../support/appendUntilKilled.ts', import.meta.url));
const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url));
/** Enough for the stream index to have persisted part of itself (and rebuild the rest). */
const ACKNOWLEDGED_BEFORE_KILL = 12_000;

/** Runs the appender until it acknowledged `count` events, kills it with SIGKILL, returns the ids. */
async function appendThenKill(path: string, count: number): Promise<string[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', APPENDER, path], {
    cwd: REPOSITORY,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`too few acknowledged appends in time: ${errors}`)), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.split('\n').length > count) {
        clearTimeout(timer);
        child.kill('SIGKILL');
        resolve();
      }
    });
    child.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`the appender exited on its own: ${errors}`));
    });
  }).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  assert.is(await exited, 'SIGKILL', 'the appender was killed while appending');
  // Lines that arrived after the kill order are acknowledged appends too.
  return output.split('\n').slice(0, -1);
}

test('every acknowledged append survives a kill -9, and the log stays consistent', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'lmdb-durability-'));
  try {
    const path = join(dir, 'events');
    const acknowledged = await appendThenKill(path, ACKNOWLEDGED_BEFORE_KILL);
    assert.ok(acknowledged.length >= ACKNOWLEDGED_BEFORE_KILL);

    const store = await openLmdbEventStore({ path });
    try {
      const log = await store.readAll();
      const stored = new Set(log.map((event) => event.id));
      const lost = acknowledged.filter((id) => !stored.has(id));
      assert.equal(lost, [], 'no acknowledged event is lost');

      for (let i = 1; i < log.length; i++) {
        assert.ok(comparePositions(log[i - 1]?.position, log[i]?.position) < 0, `position ${i} follows ${i - 1}`);
      }
      const byStream = new Map<string, RecordedEvent[]>();
      for (const event of log) {
        const stream = byStream.get(event.streamName) ?? [];
        stream.push(event);
        byStream.set(event.streamName, stream);
      }
      for (const [streamName, fromLog] of byStream) {
        assert.equal(fromLog.map((event) => event.revision), fromLog.map((_, index) => index), `${streamName} is contiguous`);
        assert.equal(await store.readStream(streamName), fromLog, `${streamName} reads as the log holds it`);
      }

      // The store goes on where the killed process stopped.
      const writer = 'durability-0';
      const revision = (byStream.get(writer)?.length ?? 0) - 1;
      const next = await store.appendToStream(writer, [{ id: randomUUID(), type: 'Appended', data: {}, metadata: {} }], {
        expectedRevision: revision,
      });
      assert.is(next.nextExpectedRevision, revision + 1);
    } finally {
      await store.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test.run();
