import { randomUUID } from 'node:crypto';
import { EventStoreDBClient, jsonEvent, type AppendExpectedRevision } from '@eventstore/db-client';
import { openEsdbEventStore } from '../src/adapters/esdb/esdbEventStore.ts';
import { productMediaStream } from '../src/domain/gallery/galleryStream.ts';
import type { ExpectedRevision } from '../src/ports/eventStore.ts';
import { progress } from './benchEnvironment.ts';
import type { BenchmarkResult } from './benchmarkResult.ts';
import { alternateRounds, formatRatio, formatRate, median, throughputFor, type Throughput } from './measure.ts';
import { isEntryPoint, runStandalone } from './standalone.ts';
import { eventBytes, imageUploadedEvent } from './sampleEvents.ts';
import { startStandInProcess } from './standInProcess.ts';

const WRITERS = 20;
const ROUNDS = 12;
const ROUND_MS = 1000;
const WARMUP_MS = 3000;
/** Streams of the baseline and of the subject never meet: each side counts its own revisions. */
const BASELINE_FIRST_PK = 10_001;
const SUBJECT_FIRST_PK = 20_001;

/**
 * Appends through the EventStoreDB adapter reach at least 0.8× the throughput of the raw
 * `@eventstore/db-client` appends they are made of, at the same concurrency, against the same server.
 */
export async function esdbAppends(): Promise<BenchmarkResult> {
  const server = await startStandInProcess();
  const raw = EventStoreDBClient.connectionString(server.connectionString);
  const store = await openEsdbEventStore({ connectionString: server.connectionString });
  try {
    const rawExpected: AppendExpectedRevision[] = Array.from({ length: WRITERS }, () => 'no_stream');
    const rawAppend = async (writer: number) => {
      const { type, data, metadata } = imageUploadedEvent(BASELINE_FIRST_PK + writer, BASELINE_FIRST_PK, '');
      const event = jsonEvent({ id: randomUUID(), type, data: data as unknown as Record<string, unknown>, metadata });
      const result = await raw.appendToStream(productMediaStream(BASELINE_FIRST_PK + writer), event, { expectedRevision: rawExpected[writer]! });
      rawExpected[writer] = result.nextExpectedRevision;
    };
    const expected: ExpectedRevision[] = Array.from({ length: WRITERS }, () => 'no_stream');
    const append = async (writer: number) => {
      const event = imageUploadedEvent(SUBJECT_FIRST_PK + writer, SUBJECT_FIRST_PK, randomUUID());
      const result = await store.appendToStream(productMediaStream(SUBJECT_FIRST_PK + writer), [event], { expectedRevision: expected[writer]! });
      expected[writer] = result.nextExpectedRevision;
    };
    const bytes = eventBytes(imageUploadedEvent(SUBJECT_FIRST_PK, SUBJECT_FIRST_PK, randomUUID())).length;

    progress('esdbAppends', `warming up (${WARMUP_MS} ms each side), ${WRITERS} writers, ${bytes}-byte events, stand-in pid ${server.pid}`);
    await throughputFor(WARMUP_MS, WRITERS, rawAppend);
    await throughputFor(WARMUP_MS, WRITERS, append);
    const rounds = await alternateRounds(
      ROUNDS,
      { baseline: () => withCpu(() => throughputFor(ROUND_MS, WRITERS, rawAppend)), subject: () => withCpu(() => throughputFor(ROUND_MS, WRITERS, append)) },
      ({ baseline, subject }, index) =>
        progress(
          'esdbAppends',
          `round ${index + 1}/${ROUNDS}: raw client ${formatRate(baseline.perSecond, 'appends')}, adapter ${formatRate(subject.perSecond, 'appends')}, ${formatRatio(subject.perSecond / baseline.perSecond)}; CPU/append ${Math.round(baseline.cpuMicros / baseline.operations)} vs ${Math.round(subject.cpuMicros / subject.operations)} µs`,
        ),
    );
    const ratios = rounds.map(({ baseline, subject }) => subject.perSecond / baseline.perSecond);
    const cpuPerAppend = (side: 'baseline' | 'subject') => median(rounds.map((round) => round[side].cpuMicros / round[side].operations));
    return {
      name: `EventStoreDB appends, ${WRITERS} concurrent writers`,
      baselineLabel: `raw \`@eventstore/db-client\` 6.2.1 \`client.appendToStream(stream, jsonEvent(…), { expectedRevision })\`, ${WRITERS} loops, one stream each, exact revisions`,
      subjectLabel: `\`eventStore.appendToStream(productMedia-<pk>, [event], { expectedRevision })\` of the EventStoreDB adapter, ${WRITERS} loops, same events`,
      baseline: formatRate(median(rounds.map((round) => round.baseline.perSecond)), 'appends'),
      subject: formatRate(median(rounds.map((round) => round.subject.perSecond)), 'appends'),
      ratio: median(ratios),
      ratioMeaning: 'adapter appends/s ÷ raw client appends/s, median of the per-round ratios',
      target: { comparison: '>=', value: 0.8 },
      details: [
        `${ROUNDS} alternating rounds of ${ROUND_MS / 1000} s per side after ${WARMUP_MS / 1000} s of warm-up each; one client per side, both on the same server`,
        'the server is the in-process gRPC stand-in of the tests (test/support/esdbStandIn) run in a child process, advertising BatchAppend as ESDB ≥ 21.10 does; no real EventStoreDB can run here, so the absolute rates are the stand-in\'s, and only the ratio (the client-side cost of the adapter) carries over',
        `${bytes}-byte ImageUploaded JSON incl. metadata, a fresh event id per append; each loop passes the revision its previous append returned`,
        `per-round ratios: ${ratios.map(formatRatio).join(', ')}`,
        `CPU of the measuring process (the clients; the server runs elsewhere) per append, median over the rounds: raw client ${Math.round(cpuPerAppend('baseline'))} µs, adapter ${Math.round(cpuPerAppend('subject'))} µs (${formatRatio(cpuPerAppend('subject') / cpuPerAppend('baseline'))}); the rates are bounded by the stand-in's process as much as by the clients`,
      ],
    };
  } finally {
    await store.close();
    await raw.dispose();
    await server.stop();
  }
}

/** A timed run, with the CPU time this process spent in it (user + system, µs). */
async function withCpu(run: () => Promise<Throughput>): Promise<Throughput & { cpuMicros: number }> {
  const before = process.cpuUsage();
  const throughput = await run();
  const { user, system } = process.cpuUsage(before);
  return { ...throughput, cpuMicros: user + system };
}

if (isEntryPoint(import.meta.url)) runStandalone(esdbAppends);
