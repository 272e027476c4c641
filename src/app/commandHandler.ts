import { randomUUID } from 'node:crypto';
import type { Decider, DomainEvent } from '../domain/decider.ts';
import type { Api, EventMetadata } from '../domain/eventMetadata.ts';
import { ConcurrencyError, UnavailableError } from '../errors/appError.ts';
import type { EventStore, ExpectedRevision, Position } from '../ports/eventStore.ts';
import type { Clock } from './clock.ts';

/** Who asks, through which API, and as part of what. */
export interface RequestContext {
  actor: string;
  api: Api;
  correlationId: string;
  /** The message that caused this command: the request id, or the id of a triggering event. */
  causationId: string;
}

export interface CommandHandlerDeps {
  eventStore: EventStore;
  clock: Clock;
  /** Event ids; injected so tests can make them deterministic. */
  newEventId?: () => string;
  /** Schema version of each event type, stamped into metadata. */
  schemaVersionOf?: (eventType: string) => number;
  maxConflictRetries?: number;
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
 * The one command handler: read the stream, fold, decide, append with the revision read.
 * A conflict re-reads and re-decides (bounded); a transient store failure re-sends the same
 * append (same event ids, same expected revision), which the store deduplicates.
 */
export function commandHandler(deps: CommandHandlerDeps) {
  const newEventId = deps.newEventId ?? randomUUID;
  const schemaVersionOf = deps.schemaVersionOf ?? (() => 1);
  const maxConflictRetries = deps.maxConflictRetries ?? 100;

  return async function handle<State, Command extends { metadata: { now: string } }, Event extends DomainEvent<string, unknown>>(
    streamName: string,
    decider: Decider<State, Command, Event>,
    command: WithoutMetadata<Command>,
    context: RequestContext,
    options: HandleOptions = {},
  ): Promise<HandledCommand<State, Event>> {
    for (let attempt = 0; ; attempt++) {
      // 1. Read the stream and fold it into the current state.
      const recorded = await deps.eventStore.readStream(streamName);
      const revision = recorded.length === 0 ? -1 : recorded[recorded.length - 1]!.revision;
      const state = recorded.reduce(
        (current, event) => decider.evolve(current, { type: event.type, data: event.data } as Event),
        decider.initialState(),
      );
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
        return {
          events,
          state: events.reduce(decider.evolve, state),
          revision: result.nextExpectedRevision,
          position: result.position,
        };
      } catch (error) {
        const pinned = options.expectedRevision !== undefined;
        if (!(error instanceof ConcurrencyError) || pinned || attempt >= maxConflictRetries) throw error;
        // Many writers on one stream: spread the retries so they stop colliding in lockstep.
        if (attempt >= 2) await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(attempt, 10) * 2));
      }
    }
  };
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
