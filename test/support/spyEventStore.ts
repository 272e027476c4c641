import type { EventStore, ReadStreamOptions } from '../../src/ports/eventStore.ts';

/** One `readStream` call as the store saw it, and how many events it answered. */
export interface StreamRead {
  streamName: string;
  options: ReadStreamOptions | undefined;
  events: number;
}

/**
 * `store` with its stream reads recorded and a hook around appends (another instance writing in
 * between, an append that fails), for tests of what the command handler asks of the store.
 */
export function spyEventStore(store: EventStore) {
  const reads: StreamRead[] = [];
  let beforeAppend: (() => Promise<void>) | undefined;
  let afterAppend: (() => Promise<void>) | undefined;
  const spy: EventStore = {
    ...store,
    async readStream(streamName, options) {
      const events = await store.readStream(streamName, options);
      reads.push({ streamName, options, events: events.length });
      return events;
    },
    async appendToStream(streamName, events, options) {
      const hook = beforeAppend;
      beforeAppend = undefined;
      await hook?.();
      const result = await store.appendToStream(streamName, events, options);
      const after = afterAppend;
      afterAppend = undefined;
      await after?.();
      return result;
    },
  };
  return {
    store: spy,
    reads,
    /** Runs `hook` before the next append only. */
    beforeNextAppend(hook: () => Promise<void>) {
      beforeAppend = hook;
    },
    /** Runs `hook` after the next append has landed, before its result is answered (it may throw). */
    afterNextAppend(hook: () => Promise<void>) {
      afterAppend = hook;
    },
  };
}
