import {
  excludeSystemEvents,
  START,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type EventStoreDBClient,
  type Position as DriverPosition,
} from '@eventstore/db-client';
import { Observable, type Subscriber } from 'rxjs';
import { UnavailableError } from '../../errors/appError.ts';
import type { AllSubscriptionMessage, SubscribeToAllOptions } from '../../ports/eventStore.ts';
import type { ConnectionHealth } from './connectionHealth.ts';
import { invalidArgument, translateDriverError } from './esdbErrors.ts';
import { isSystemEvent, toRecordedEvent } from './esdbEvents.ts';
import { decodePosition, encodePosition, LOG_START_POSITION } from './esdbPosition.ts';

export interface SubscriptionContext {
  client: EventStoreDBClient;
  health: ConnectionHealth;
  /** A filtered subscription reports a checkpoint every `checkpointInterval × 32` events the server scanned. */
  checkpointInterval: number;
  /** Open subscribers, so that closing the store can complete them. */
  openSubscribers: Set<Subscriber<AllSubscriptionMessage>>;
}

/**
 * A catch-up subscription to `$all` over the driver's: the server sends history strictly after
 * `fromPosition`, `caughtUp`, then live events, all in one ordered gRPC stream; the driver hands
 * events to `data` listeners synchronously as it decodes them, and reports `caughtUp` and
 * checkpoints from the same decoding step, so the three keep their order here.
 *
 * The server filters: on the stream-name prefixes when given, else `excludeSystemEvents()` (one
 * filter per subscription is all ESDB takes); system events that pass the server's filter are
 * dropped here. Checkpoints carry the server's `{ commit, prepare }` position. A dropped
 * connection or an end the subscriber did not ask for fails the Observable with an
 * UnavailableError: resubscribing from the last position seen is the subscriber's job.
 */
export function subscribeToAllEvents(context: SubscriptionContext, options: SubscribeToAllOptions): Observable<AllSubscriptionMessage> {
  const { client, health, checkpointInterval, openSubscribers } = context;
  const fromPosition = startAfter(options.fromPosition);
  const prefixes = options.filter?.streamNamePrefixes;
  if (prefixes !== undefined && (!Array.isArray(prefixes) || prefixes.length === 0 || prefixes.some((prefix) => typeof prefix !== 'string' || prefix === ''))) {
    throw invalidArgument('A subscription filter needs at least one stream name prefix.');
  }

  return new Observable<AllSubscriptionMessage>((subscriber) => {
    let ended = false;
    let caughtUp = false;
    const checkpointReached = (_subscription: unknown, position: DriverPosition): void => {
      if (!ended) subscriber.next({ kind: 'checkpoint', position: encodePosition(position) });
    };
    const filter =
      prefixes === undefined
        ? excludeSystemEvents({ checkpointInterval, checkpointReached })
        : streamNameFilter({ prefixes: [...prefixes], checkpointInterval, checkpointReached });
    const subscription = client.subscribeToAll({ fromPosition, filter });
    const fail = (error: unknown): void => {
      if (ended) return;
      ended = true;
      const failure = translateDriverError(error);
      health.failed(failure);
      subscriber.error(failure);
    };

    subscription.on('confirmation', () => health.answered());
    subscription.on('data', (resolved: AllStreamResolvedEvent) => {
      const event = resolved.event;
      if (ended || event === undefined || isSystemEvent(event)) return;
      try {
        subscriber.next({ kind: 'event', event: toRecordedEvent(event) });
      } catch (error) {
        fail(error);
      }
    });
    subscription.on('caughtUp', () => {
      if (ended || caughtUp) return;
      caughtUp = true;
      subscriber.next({ kind: 'caughtUp' });
    });
    // Stays attached after the end: an 'error' event without a listener would crash the process.
    subscription.on('error', fail);
    subscription.on('end', () => fail(new UnavailableError('The EventStoreDB subscription ended.')));
    subscription.on('close', () => fail(new UnavailableError('The EventStoreDB subscription closed.')));

    openSubscribers.add(subscriber);
    return () => {
      ended = true;
      openSubscribers.delete(subscriber);
      // Cancels the gRPC call; the driver swallows the cancellation it caused.
      subscription.unsubscribe().catch(() => {});
    };
  });
}

/** Where the server starts: strictly after this position (ESDB's subscription semantics, as the port's). */
function startAfter(position: SubscribeToAllOptions['fromPosition']): DriverPosition | typeof START {
  if (position === undefined) return START;
  const decoded = decodePosition(position);
  return position === LOG_START_POSITION ? START : decoded;
}
