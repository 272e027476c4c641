import { randomUUID } from 'node:crypto';
import type { Decider, DomainEvent } from '../domain/decider.ts';
import type { Api, EventMetadata } from '../domain/eventMetadata.ts';
import { ConcurrencyError, UnavailableError } from '../errors/appError.ts';
import type { EventStore, ExpectedRevision, Position } from '../ports/eventStore.ts';
import { aggregateCache, DEFAULT_AGGREGATE_CACHE_BYTES, type AggregateAt } from './aggregateCache.ts';
import type { Clock } from './clock.ts';

/** Who asks, through which API, and as part of what. */
export interface RequestContext {
  actor: string;
  api: Api;
  correlationId: string;
  /** The message that caused this command: the request id, or the id of a triggering event. */
  causationId: string;
  /** The trace of the request (W3C trace id), stamped into the events' metadata. */
  traceId?: string;
}

export interface CommandHandlerDeps {
  eventStore: EventStore;
  clock: Clock;
  /** Event ids; injected so tests can make them deterministic. */
  newEventId?: () => string;
  /** Schema version of each event type, stamped into metadata. */
  schemaVersionOf?: (eventType: string) => number;
  maxConflictRetries?: number;
  /**
   * Memory for recent aggregate states, in estimated bytes (default {@link DEFAULT_AGGREGATE_CACHE_BYTES};
   * 0 keeps none, and every command reads its whole stream).
   */
  cacheBytes?: number;
}

export interface HandleOptions {
  /** A revision the caller pinned (If-Match; -1 = the stream must not exist): a mismatch fails instead of being retried. */
  expectedRevision?: number;
}

export interface HandledCommand<State, Event> {
  /** The events this command appended (empty when the decision changed nothing). */
  events: Event[];
  /** The state after the command. */
  state: State;
  /** Revision of the stream after the command, -1 when the stream does not exist. */
  revision: number;
  /** Where the last appended event sits in `$all`; undefined when nothing was appended. */
  position: Position | undefined;
}

/** The envelope of an event written for `context` at `occurredAt`. */
export function eventMetadata(context: RequestContext, occurredAt: string, schemaVersion: number): EventMetadata {
  return { ...context, occurredAt, schemaVersion };
}

/** A command as callers write it: the handler adds the metadata (the time of each attempt). */
export type WithoutMetadata<C> = C extends unknown ? Omit<C, 'metadata'> : never;

const TRANSIENT_RETRY_DELAYS_MS = [25, 100, 400];

/**
 * The one command handler: bring the stream's state up to date, decide, append with the revision
 * read. Recent states stay in memory (bounded, least recently used first), so a command reads
 * only the events after the state it remembers (normally none) and its cost does not grow with
 * the stream's history. Another instance's write is seen by that tail read, or, when it lands
 * in between, by the expected revision: the conflict re-reads the tail and re-decides (bounded).
 * A transient store failure re-sends the same append (same event ids, same expected revision),
 * which the store deduplicates.
 */
export function commandHandler(deps: CommandHandlerDeps) {
  const newEventId = deps.newEventId ?? randomUUID;
  const schemaVersionOf = deps.schemaVersionOf ?? (() => 1);
  const maxConflictRetries = deps.maxConflictRetries ?? 100;
  const cache = aggregateCache(deps.cacheBytes ?? DEFAULT_AGGREGATE_CACHE_BYTES);

  /** The stream's state now: the remembered state and the events after it, or the whole stream folded. */
  async function currentState<State, Event>(streamName: string, decider: Decider<State, unknown, Event>): Promise<AggregateAt<State>> {
    const cached = cache.get<State>(streamName, decider);
    const from = cached === undefined ? 0 : cached.revision + 1;
    const recorded = await deps.eventStore.readStream(streamName, cached === undefined ? {} : { fromRevision: from });
    if (cached !== undefined && recorded.length > 0 && recorded[0]!.revision !== from) {
      // Not the events that follow what the cache knew (the port never shrinks a stream, but an
      // operator can truncate one in the store): forget it and fold the stream from its start.
      cache.forget(streamName);
      return currentState(streamName, decider);
    }
    if (recorded.length === 0) return cached ?? { state: decider.initialState(), revision: -1 };
    const state = recorded.reduce(
      (current, event) => decider.evolve(current, { type: event.type, data: event.data } as Event),
      cached?.state ?? decider.initialState(),
    );
    return cache.remember(streamName, decider, state, recorded[recorded.length - 1]!.revision);
  }

  return async function handle<State, Command extends { metadata: { now: string } }, Event extends DomainEvent<string, unknown>>(
    streamName: string,
    decider: Decider<State, Command, Event>,
    command: WithoutMetadata<Command>,
    context: RequestContext,
    options: HandleOptions = {},
  ): Promise<HandledCommand<State, Event>> {
    for (let attempt = 0; ; attempt++) {
      // 1. The current state: remembered and brought up to date, or read and folded.
      const { state, revision } = await currentState(streamName, decider as Decider<State, unknown, Event>);
      if (options.expectedRevision !== undefined && options.expectedRevision !== revision) {
        throw new ConcurrencyError(streamName, String(options.expectedRevision), String(revision));
      }

      // 2. Decide with the time of this attempt.
      const now = deps.clock();
      const events = decider.decide({ ...command, metadata: { now } } as unknown as Command, state);
      if (events.length === 0) return { events, state, revision, position: undefined };

      // 3. Append with the revision read; a concurrent writer makes this fail and we retry.
      const metadata = (type: string) => eventMetadata(context, now, schemaVersionOf(type));
      const toAppend = events.map((event) => ({ id: newEventId(), type: event.type, data: event.data, metadata: metadata(event.type) }));
      const expectedRevision: ExpectedRevision = revision === -1 ? 'no_stream' : revision;
      try {
        const result = await appendWithTransientRetries(deps.eventStore, streamName, toAppend, expectedRevision);
        // 4. The new state is folded from the events as a read will give them (JSON), so the
        // state remembered is exactly the one a later full fold makes.
        const after = events.reduce((current, event) => decider.evolve(current, asStored(event)), state);
        const written = revision + events.length;
        if (result.nextExpectedRevision === written) cache.remember(streamName, decider, after, written);
        else cache.forget(streamName);
        return { events, state: after, revision: result.nextExpectedRevision, position: result.position };
      } catch (error) {
        const pinned = options.expectedRevision !== undefined;
        if (!(error instanceof ConcurrencyError) || pinned || attempt >= maxConflictRetries) throw error;
        // Many writers on one stream: spread the retries so they stop colliding in lockstep.
        if (attempt >= 2) await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(attempt, 10) * 2));
      }
    }
  };
}

/** `event` as the store hands it back: its payload through JSON (`undefined` members gone, and so on). */
function asStored<Event extends DomainEvent<string, unknown>>(event: Event): Event {
  return { type: event.type, data: JSON.parse(JSON.stringify(event.data)) } as Event;
}

export type HandleCommand = ReturnType<typeof commandHandler>;

async function appendWithTransientRetries(
  eventStore: EventStore,
  streamName: string,
  events: Parameters<EventStore['appendToStream']>[1],
  expectedRevision: ExpectedRevision,
) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await eventStore.appendToStream(streamName, events, { expectedRevision });
    } catch (error) {
      const delay = TRANSIENT_RETRY_DELAYS_MS[attempt];
      if (!(error instanceof UnavailableError) || delay === undefined) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
