import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { open } from 'lmdb';
import { openLmdbEventStore } from '../src/adapters/lmdb/lmdbEventStore.ts';
import { productMediaStream } from '../src/domain/gallery/galleryStream.ts';
import type { EventData, ExpectedRevision } from '../src/ports/eventStore.ts';
import { progress, withTempDir } from './benchEnvironment.ts';
import { alternateRounds, formatRatio, formatRate, median, throughputFor, type Throughput } from './measure.ts';
import { eventBytes, imageUploadedEvent } from './sampleEvents.ts';

export interface DurableAppendsOptions {
  /** Label for progress lines. */
  benchmark: string;
  /** Concurrent loops, each awaiting its own write before the next. */
  writers: number;
  rounds: number;
  roundMs: number;
  warmupMs: number;
}

export interface DurableAppendsMeasurement {
  baseline: Throughput[];
  subject: Throughput[];
  ratios: number[];
  eventBytes: number;
}

/** Five-digit pks keep every writer's event exactly as long as the baseline's bytes. */
const FIRST_PK = 10_001;

/**
 * Durable writes of one event by `writers` concurrent loops, each awaiting its write:
 * - baseline: raw LMDB, `open({ path, overlappingSync: false })` (resolves once durable), each loop
 *   doing `await db.put(nextKey, sameBytes)` with the JSON bytes of the event;
 * - subject: the event store, each loop appending the event to its own stream with the exact
 *   revision its previous append returned, as the command handler does.
 * Both environments are fresh, live side by side in one temp dir, and are written in alternating
 * rounds of `roundMs`.
 */
export async function measureDurableAppends(options: DurableAppendsOptions): Promise<DurableAppendsMeasurement> {
  const { benchmark, writers, rounds, roundMs, warmupMs } = options;
  return withTempDir('bench-appends-', async (dir) => {
    const raw = open({ path: join(dir, 'raw'), overlappingSync: false, encoding: 'binary' });
    const store = await openLmdbEventStore({ path: join(dir, 'events') });
    try {
      const bytes = eventBytes(imageUploadedEvent(FIRST_PK, FIRST_PK, randomUUID()));
      let rawKey = 0;
      const rawPut = () => raw.put(++rawKey, bytes);

      const streams = Array.from({ length: writers }, (_, writer) => productMediaStream(FIRST_PK + writer));
      const events: EventData[] = Array.from({ length: writers }, (_, writer) => imageUploadedEvent(FIRST_PK + writer, FIRST_PK, ''));
      const expected: ExpectedRevision[] = Array.from({ length: writers }, () => 'no_stream');
      const append = async (writer: number) => {
        const event = { ...events[writer]!, id: randomUUID() };
        const result = await store.appendToStream(streams[writer]!, [event], { expectedRevision: expected[writer]! });
        expected[writer] = result.nextExpectedRevision;
      };
      const sameLength = eventBytes({ ...events[writers - 1]!, id: randomUUID() }).length;
      if (sameLength !== bytes.length) throw new Error(`subject event is ${sameLength} bytes, baseline ${bytes.length}`);

      progress(benchmark, `warming up (${warmupMs} ms each side), ${writers} writer(s), ${bytes.length}-byte events`);
      await throughputFor(warmupMs, writers, rawPut);
      await throughputFor(warmupMs, writers, append);

      const results = await alternateRounds(
        rounds,
        { baseline: () => throughputFor(roundMs, writers, rawPut), subject: () => throughputFor(roundMs, writers, append) },
        ({ baseline, subject }, index) =>
          progress(
            benchmark,
            `round ${index + 1}/${rounds}: raw ${formatRate(baseline.perSecond, 'puts')}, store ${formatRate(subject.perSecond, 'appends')}, ${formatRatio(subject.perSecond / baseline.perSecond)}`,
          ),
      );
      return {
        baseline: results.map((round) => round.baseline),
        subject: results.map((round) => round.subject),
        ratios: results.map(({ baseline, subject }) => subject.perSecond / baseline.perSecond),
        eventBytes: bytes.length,
      };
    } finally {
      await store.close();
      await raw.close();
    }
  });
}

/** The median rate of a side. */
export function medianRate(throughputs: readonly Throughput[]): number {
  return median(throughputs.map((throughput) => throughput.perSecond));
}
