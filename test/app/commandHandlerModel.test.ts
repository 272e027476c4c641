import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { openEsdbEventStore } from '../../src/adapters/esdb/esdbEventStore.ts';
import { openLmdbEventStore } from '../../src/adapters/lmdb/lmdbEventStore.ts';
import { fixedStepClock } from '../../src/app/clock.ts';
import { commandHandler, type HandleCommand, type RequestContext, type WithoutMetadata } from '../../src/app/commandHandler.ts';
import { upcastingEventStore } from '../../src/app/upcastingEventStore.ts';
import { fold } from '../../src/domain/decider.ts';
import type { GalleryCommand } from '../../src/domain/gallery/galleryCommands.ts';
import { galleryDecider } from '../../src/domain/gallery/galleryDecider.ts';
import type { GalleryEvent } from '../../src/domain/gallery/galleryEvents.ts';
import type { GalleryState } from '../../src/domain/gallery/galleryState.ts';
import { productMediaStream } from '../../src/domain/gallery/galleryStream.ts';
import { AppError, ConcurrencyError } from '../../src/errors/appError.ts';
import type { EventStore } from '../../src/ports/eventStore.ts';
import { startEsdbStandIn } from '../support/esdbStandIn/esdbStandIn.ts';
import { randomGalleryCommands, seededRandom, type Random } from '../support/randomGalleryCommands.ts';

/**
 * The state a command decides on, remembered and brought up to date by tail reads, is the state a
 * full fold of the stream gives: random gallery commands through three "instances" sharing one
 * store (one with the default cache, one with a cache so small it evicts and refuses states, one
 * without), events appended by other code paths (raw, some at an old schema version), and
 * batches of concurrent commands that conflict. Sequential steps compare each outcome with the
 * decision a full fold makes (events, or the refusal by code and text); every success's state is
 * compared with a full fold at its revision.
 */

const context: RequestContext = { actor: 'erp', api: 'rest', correlationId: 'c', causationId: 'c' };
const PRODUCTS = [1, 2, 3];
const NOW = { now: '2024-05-01T10:00:00.000000Z' };

interface Engine {
  name: string;
  seed: number;
  steps: number;
  batches: number;
  open(): Promise<{ raw: EventStore; close(): Promise<void> }>;
}

const ENGINES: Engine[] = [
  {
    name: 'LMDB',
    seed: 1902,
    steps: 160,
    batches: 30,
    async open() {
      const dir = await mkdtemp(join(tmpdir(), 'handler-model-'));
      const raw = await openLmdbEventStore({ path: dir });
      return { raw, close: async () => (await raw.close(), await rm(dir, { recursive: true, force: true })) };
    },
  },
  {
    name: 'the EventStoreDB stand-in',
    seed: 1903,
    steps: 80,
    batches: 15,
    async open() {
      const esdb = await startEsdbStandIn();
      const raw = await openEsdbEventStore({ connectionString: esdb.connectionString });
      return { raw, close: async () => (await raw.close(), await esdb.stop()) };
    },
  },
];

for (const engine of ENGINES) {
  const test = suite(`command handler model, ${engine.name}`);
  test('cached states decide as a full fold does, across instances, foreign appends and conflicts', async () => {
    const { raw, close } = await engine.open();
    try {
      await runModel(engine, raw);
    } finally {
      await close();
    }
  });
  test.run();
}

async function runModel(engine: Engine, raw: EventStore): Promise<void> {
  const store = upcastingEventStore(raw);
  let conflicts = 0;
  const counting: EventStore = {
    ...store,
    appendToStream: (streamName, events, options) =>
      store.appendToStream(streamName, events, options).catch((error: unknown) => {
        if (error instanceof ConcurrencyError) conflicts += 1;
        throw error;
      }),
  };
  const clock = fixedStepClock();
  const instances: HandleCommand[] = [
    commandHandler({ eventStore: counting, clock }),
    commandHandler({ eventStore: counting, clock, cacheBytes: 6_000 }),
    commandHandler({ eventStore: counting, clock, cacheBytes: 0 }),
  ];
  const random = seededRandom(engine.seed);
  const nextCommand = randomGalleryCommands(random);
  const stream = productMediaStream;

  const foldAt = async (productPk: number, revision = Number.MAX_SAFE_INTEGER): Promise<GalleryState> => {
    const recorded = await store.readStream(stream(productPk));
    const events = recorded.filter((event) => event.revision <= revision).map((event) => ({ type: event.type, data: event.data }) as GalleryEvent);
    return fold(galleryDecider, events);
  };

  const sequentialStep = async (step: string, instance: HandleCommand) => {
    const productPk = random.pick(PRODUCTS);
    const before = await foldAt(productPk);
    if (random.chance(0.1)) return appendElsewhere(raw, random, productPk, before, nextCommand);
    const command = nextCommand(productPk, before);
    const expected = outcome(() => galleryDecider.decide({ ...command, metadata: NOW } as GalleryCommand, before));
    const actual = await instance(stream(productPk), galleryDecider, command, context).then(
      (result) => result,
      (error: unknown) => error,
    );
    const where = `${step} ${command.type} on product ${productPk}`;
    if (expected instanceof Error) {
      assert.instance(actual, AppError, `${where}: expected ${String(expected)}`);
      const refusal = actual as AppError;
      assert.equal([refusal.code, refusal.message, refusal.details], [(expected as AppError).code, expected.message, (expected as AppError).details], where);
      return;
    }
    if (actual instanceof Error) assert.unreachable(`${where}: ${actual.message}`);
    const result = actual as Awaited<ReturnType<HandleCommand>>;
    assert.equal(result.events, expected, where);
    assert.equal(result.state, await foldAt(productPk, result.revision), where);
  };

  const concurrentBatch = async (batch: number) => {
    const productPk = random.pick(PRODUCTS);
    const before = await foldAt(productPk);
    const jobs = Array.from({ length: 2 + random.below(3) }, () => {
      const instance = random.pick(instances);
      return instance(stream(productPk), galleryDecider, nextCommand(productPk, before), context).then(
        async (result) => assert.equal(result.state, await foldAt(productPk, result.revision), `batch ${batch}`),
        (error: unknown) => {
          assert.instance(error, AppError);
          assert.is.not((error as AppError).code, 'WRONG_EXPECTED_REVISION', 'conflicts are retried');
        },
      );
    });
    if (random.chance(0.3)) jobs.push(appendElsewhere(raw, random, productPk, before, nextCommand));
    await Promise.all(jobs);
  };

  for (let step = 0; step < engine.steps; step++) await sequentialStep(`step ${step}`, random.pick(instances));
  for (let batch = 0; batch < engine.batches; batch++) await concurrentBatch(batch);
  for (let step = 0; step < engine.steps / 2; step++) await sequentialStep(`step ${step} after the batches`, random.pick(instances));
  // Every instance on every product once more: whatever each remembers must still be right.
  for (const [index, instance] of instances.entries()) {
    for (let round = 0; round < PRODUCTS.length * 2; round++) await sequentialStep(`final sweep of instance ${index}`, instance);
  }
  assert.ok(conflicts > 0, 'the concurrent batches made appends conflict');
}

/** What a decision gives: its events, or the error it throws. */
function outcome(decide: () => GalleryEvent[]): GalleryEvent[] | Error {
  try {
    return decide();
  } catch (error) {
    return error as Error;
  }
}

/**
 * Another code path writing the gallery (a migration, a tool): events a decision makes,
 * appended raw with `any`; an ImageRestored goes in at schema version 1 (without its product pk),
 * as before its upcaster existed.
 */
async function appendElsewhere(
  raw: EventStore,
  random: Random,
  productPk: number,
  state: GalleryState,
  nextCommand: (productPk: number, state: GalleryState) => WithoutMetadata<GalleryCommand>,
): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const events = outcome(() => galleryDecider.decide({ ...nextCommand(productPk, state), metadata: NOW } as GalleryCommand, state));
    if (events instanceof Error || events.length === 0) continue;
    const metadata = { actor: 'tool', api: 'cli', correlationId: 'c', causationId: 'c', occurredAt: NOW.now, schemaVersion: 1 };
    const stored = events.map(({ type, data }) => ({
      id: randomUUID(),
      type,
      data: type === 'ImageRestored' ? { imagePk: (data as { imagePk: number }).imagePk } : data,
      metadata,
    }));
    await raw.appendToStream(productMediaStream(productPk), stored, { expectedRevision: 'any' });
    if (random.chance(0.5)) return;
  }
}
