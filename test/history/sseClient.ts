import { get } from 'node:http';

/** One Server-Sent Event as a client sees it. */
export interface SseEvent {
  id: string;
  event: string;
  data: any;
}

/**
 * A minimal EventSource on its own connection (no pool): collects events until `until` says stop
 * (then destroys the connection, as a killed client would) or the server ends the stream.
 */
export function readSse(
  url: string,
  options: { headers?: Record<string, string>; until?: (events: SseEvent[]) => boolean; onComment?: (text: string) => void },
): Promise<{ status: number; events: SseEvent[]; endedByServer: boolean }> {
  return new Promise((resolve, reject) => {
    const events: SseEvent[] = [];
    const request = get(url, { headers: options.headers ?? {}, agent: false }, (response) => {
      const status = response.statusCode ?? 0;
      if (status !== 200) {
        response.resume();
        return resolve({ status, events, endedByServer: true });
      }
      response.setEncoding('utf8');
      let buffered = '';
      let stopped = false;
      response.on('data', (chunk: string) => {
        if (stopped) return;
        buffered += chunk;
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
            stopped = true;
            request.destroy();
            return resolve({ status, events, endedByServer: false });
          }
        }
      });
      response.on('end', () => !stopped && resolve({ status, events, endedByServer: true }));
    });
    request.on('error', (error) => reject(error));
  });
}
