/** One Server-Sent Event as a client sees it. */
export interface SseEvent {
  id: string;
  event: string;
  data: any;
}

/**
 * A minimal EventSource over fetch: collects events until `until` says stop (then aborts the
 * connection, as a killed client would) or the server ends the stream.
 */
export async function readSse(
  url: string,
  options: { headers?: Record<string, string>; until?: (events: SseEvent[]) => boolean; onComment?: (text: string) => void },
): Promise<{ status: number; events: SseEvent[]; endedByServer: boolean }> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: options.headers ?? {}, signal: controller.signal });
  const events: SseEvent[] = [];
  if (!response.ok || response.body === null) return { status: response.status, events, endedByServer: true };
  const decoder = new TextDecoder();
  let buffered = '';
  try {
    for await (const chunk of response.body) {
      buffered += decoder.decode(chunk as Uint8Array, { stream: true });
      let boundary: number;
      while ((boundary = buffered.indexOf('\n\n')) >= 0) {
        const frame = buffered.slice(0, boundary);
        buffered = buffered.slice(boundary + 2);
        const fields: Record<string, string> = {};
        for (const line of frame.split('\n')) {
          if (line.startsWith(':')) options.onComment?.(line.slice(1).trim());
          const colon = line.indexOf(':');
          if (colon > 0) fields[line.slice(0, colon)] = line.slice(colon + 1).replace(/^ /, '');
        }
        if (fields.data !== undefined) events.push({ id: fields.id ?? '', event: fields.event ?? 'message', data: JSON.parse(fields.data) });
        if (options.until?.(events)) {
          controller.abort();
          return { status: response.status, events, endedByServer: false };
        }
      }
    }
  } catch (error) {
    if ((error as Error).name !== 'AbortError') throw error;
    return { status: response.status, events, endedByServer: false };
  }
  return { status: response.status, events, endedByServer: true };
}
