import { ConcurrencyError } from '../errors/appError.ts';
import type { EventStore } from '../ports/eventStore.ts';
import type { Metrics } from './metrics.ts';
import type { Tracing } from './tracing.ts';

/**
 * The event-store port with its calls measured (append latency by outcome, conflicts, read
 * latency) and traced (a span per append and read). The store itself as it is when neither is on.
 */
export function observedEventStore(store: EventStore, metrics: Metrics | undefined, tracing: Tracing): EventStore {
  if (metrics === undefined && !tracing.enabled) return store;
  const timed = async <T>(observe: ((seconds: number, error: unknown) => void) | undefined, work: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      const result = await work();
      observe?.((performance.now() - started) / 1000, undefined);
      return result;
    } catch (error) {
      observe?.((performance.now() - started) / 1000, error);
      throw error;
    }
  };
  const observeAppend = metrics
    ? (seconds: number, error: unknown) => {
        const outcome = error === undefined ? 'ok' : error instanceof ConcurrencyError ? 'conflict' : 'error';
        if (outcome === 'conflict') metrics.appendConflicts.inc();
        metrics.appendDuration.observe({ outcome }, seconds);
      }
    : undefined;
  const observeRead = (kind: 'stream' | 'all') => (metrics ? (seconds: number) => metrics.readDuration.observe({ kind }, seconds) : undefined);
  const readStream = observeRead('stream');
  const readAll = observeRead('all');
  // Every method delegates: a wrapper made by spreading would lose class methods of the adapter.
  return {
    appendToStream: (streamName, events, options) =>
      tracing.inSpan('eventstore.append', { 'eventstore.stream': streamName, 'eventstore.events': events.length }, () =>
        timed(observeAppend, () => store.appendToStream(streamName, events, options)),
      ),
    readStream: (streamName, options) =>
      tracing.inSpan('eventstore.read', { 'eventstore.stream': streamName }, () => timed(readStream, () => store.readStream(streamName, options))),
    readAll: (options) => tracing.inSpan('eventstore.read_all', {}, () => timed(readAll, () => store.readAll(options))),
    subscribeToAll: (options) => store.subscribeToAll(options),
    setStreamMaxAge: (streamName, maxAgeSeconds) => store.setStreamMaxAge(streamName, maxAgeSeconds),
    close: () => store.close(),
    ...(store.headPosition ? { headPosition: () => store.headPosition!() } : {}),
  };
}
