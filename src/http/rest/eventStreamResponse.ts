import type { ServerResponse } from 'node:http';
import type { Subscription } from 'rxjs';
import type { FeedEntry, FeedFilter } from '../../app/feed/mediaFeed.ts';
import { FEED_STREAM_PREFIXES, feedEntry, isFeedEvent, readFeedPage } from '../../app/feed/mediaFeed.ts';
import type { EventStore, Position, RecordedEvent } from '../../ports/eventStore.ts';

export interface EventStreamOptions {
  /** Comment lines that keep proxies and clients from timing the connection out. */
  heartbeatMs: number;
  /**
   * Bytes written but not yet taken by the client, at most. A consumer that falls this far
   * behind is disconnected (the stream ends) and resumes with `Last-Event-ID`: the server's
   * memory per consumer stays bounded whatever its speed.
   */
  maxBufferedBytes: number;
  /** How long a browser waits before reconnecting (the SSE `retry:` field). */
  retryMs: number;
}

export const DEFAULT_EVENT_STREAM_OPTIONS: EventStreamOptions = { heartbeatMs: 15_000, maxBufferedBytes: 1 << 20, retryMs: 1_000 };

/** Feed events read per step of a replay: what one consumer holds decoded at a time. */
const REPLAY_PAGE = 256;
/** A replay reads its next page once the client has taken all but this much: a slow client costs little memory. */
const REPLAY_BUFFERED_BYTES = 64 * 1024;

/**
 * Streams gallery events as Server-Sent Events on `res`: `id:` is the event's position (the
 * cursor to resume after), `data:` its {@link FeedEntry} (the type is its `type`). Frames are
 * unnamed (no `event:` line), so a plain `EventSource`'s `onmessage` receives every one. History after
 * `after` comes first, read page by page as the client takes it (a page is read only once the
 * client has taken most of the one before: however long the history and however many consumers
 * replay it, each holds one page and 64 KiB of output); then live events, from a `$all`
 * subscription filtered by stream prefix (either event store) that starts right after the last
 * event replayed, so the switch has no gap and no duplicate. A live consumer that falls
 * `maxBufferedBytes` behind is disconnected and resumes with `Last-Event-ID`.
 * @returns a function that ends the stream (e.g. at shutdown).
 */
export function streamEvents(
  res: ServerResponse,
  deps: { eventStore: EventStore; frameOf: (event: RecordedEvent) => string },
  request: { after: Position | undefined; filter: FeedFilter },
  options: EventStreamOptions,
): () => void {
  let subscription: Subscription | undefined;
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    clearInterval(heartbeat);
    subscription?.unsubscribe();
    res.end();
  };
  const write = (text: string) => {
    if (ended) return;
    res.write(text);
    // Slow consumer: drop it before its backlog grows further; it resumes where it stopped.
    if (res.writableLength > options.maxBufferedBytes) end();
  };

  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.write(`retry: ${options.retryMs}\n\n`);
  const heartbeat = setInterval(() => write(': heartbeat\n\n'), options.heartbeatMs);
  res.on('close', end);

  const taken = () =>
    new Promise<void>((resolve) => {
      if (ended || res.writableLength <= REPLAY_BUFFERED_BYTES) return resolve();
      const done = () => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    });

  const follow = (after: Position | undefined) => {
    if (ended) return;
    subscription = deps.eventStore
      .subscribeToAll({
        ...(after === undefined ? {} : { fromPosition: after }),
        filter: { streamNamePrefixes: [...FEED_STREAM_PREFIXES] },
      })
      .subscribe({
        next: (message) => {
          if (message.kind !== 'event' || !isFeedEvent(message.event, request.filter)) return;
          write(deps.frameOf(message.event));
        },
        // A lost subscription ends the stream; the client reconnects with its Last-Event-ID.
        error: end,
        complete: end,
      });
    if (ended) subscription.unsubscribe();
  };

  const replay = async () => {
    let cursor = request.after;
    for (;;) {
      const page = await readFeedPage(deps.eventStore, cursor, REPLAY_PAGE, request.filter);
      if (ended) return;
      for (const event of page.entries) write(deps.frameOf(event));
      cursor = page.cursor;
      if (page.reachedEnd) return follow(cursor);
      await taken();
    }
  };
  // A replay that cannot read ends the stream like a lost subscription: the client resumes.
  replay().catch(end);
  return end;
}

/**
 * The SSE frame of an event, shared by every consumer: with many consumers on the same live
 * events, each frame is built and serialized once (the last `size` positions are remembered).
 */
export function sharedFrames(skuOf: (productPk: number) => string | undefined, size = 4096): (event: RecordedEvent) => string {
  const frames = new Map<string, string>();
  return (event) => {
    let frame = frames.get(event.position);
    if (frame === undefined) {
      const entry = feedEntry(event, skuOf);
      frame = `id: ${entry.position}\ndata: ${JSON.stringify(entry)}\n\n`;
      if (frames.size >= size) frames.delete(frames.keys().next().value!);
      frames.set(event.position, frame);
    }
    return frame;
  };
}
