/**
 * The product's events as they happen: the feed's Server-Sent Events stream read with `fetch`
 * (an EventSource cannot send the Authorization header), filtered to the product on the
 * server, resumed after the last event seen when the connection drops.
 */
export function followProduct(options: {
  productPk: number;
  headers: Record<string, string>;
  /** Resume after this position (the last one the page has read). */
  after: string | null;
  onEvent: (position: string) => void;
  onState?: (connected: boolean) => void;
}): () => void {
  const controller = new AbortController();
  let after = options.after;
  let stopped = false;

  const connect = async () => {
    while (!stopped) {
      try {
        const query = new URLSearchParams({ product: String(options.productPk) });
        if (after !== null) query.set('after', after);
        const response = await fetch(`/api/v1/media_events/stream?${query}`, { headers: { ...options.headers, Accept: 'text/event-stream' }, signal: controller.signal });
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
        options.onState?.(true);
        await readFrames(response.body, (id) => {
          after = id;
          options.onEvent(id);
        });
      } catch {
        if (stopped) return;
      }
      options.onState?.(false);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  };
  void connect();
  return () => {
    stopped = true;
    controller.abort();
  };
}

/** Calls `onId` with the `id:` of every complete event frame (comments and heartbeats skipped). */
async function readFrames(body: ReadableStream<Uint8Array>, onId: (id: string) => void): Promise<void> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const id = /^id: ?(.*)$/m.exec(frame)?.[1];
      if (id !== undefined && /^data:/m.test(frame)) onId(id);
    }
  }
}
