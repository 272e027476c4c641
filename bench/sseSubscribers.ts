import { get, type IncomingMessage } from 'node:http';

/**
 * The consumers of the SSE fan-out benchmark, run in their own process so that parsing 200
 * streams does not steal the server's event loop: `node --import tsx bench/sseSubscribers.ts
 * <url> <authorization> <subscribers> <events> <after>`. Each subscriber reads the stream, resumes
 * with Last-Event-ID when the server drops it, and stops after `events` events. Prints one JSON
 * line: deliveries, duplicates, reconnects, delay percentiles (ms, append → receipt), last receipt time.
 */
const [url = '', authorization = '', subscriberText = '200', eventText = '10000', after = '0'] = process.argv.slice(2);
const subscribers = Number(subscriberText);
const expected = Number(eventText);
const delays: number[] = [];
let delivered = 0;
let duplicates = 0;
let reconnects = 0;
let lastReceipt = 0;
let finished = 0;

function subscribe(index: number, lastEventId: string, count: number): void {
  const request = get(`${url}?after=${after}`, { headers: { authorization, ...(lastEventId === '' ? {} : { 'last-event-id': lastEventId }) }, agent: false }, (response: IncomingMessage) => {
    if (response.statusCode !== 200) throw new Error(`subscriber ${index}: HTTP ${response.statusCode}`);
    response.setEncoding('utf8');
    let buffered = '';
    let last = lastEventId;
    let received = count;
    response.on('data', (chunk: string) => {
      buffered += chunk;
      let boundary: number;
      while ((boundary = buffered.indexOf('\n\n')) >= 0) {
        const frame = buffered.slice(0, boundary);
        buffered = buffered.slice(boundary + 2);
        if (!frame.startsWith('id: ')) continue;
        const id = frame.slice(4, frame.indexOf('\n'));
        if (id <= last) duplicates++;
        last = id;
        const now = Date.now();
        const occurredAt = /"occurred_at":"([^"]+)"/.exec(frame)?.[1];
        if (occurredAt !== undefined) delays.push(now - Date.parse(occurredAt));
        delivered++;
        lastReceipt = now;
        if (++received === expected) {
          response.destroy();
          if (++finished === subscribers) report();
          return;
        }
      }
    });
    response.on('end', () => {
      // Dropped as a slow consumer (or the server ended): resume after the last event seen.
      if (received < expected) {
        reconnects++;
        subscribe(index, last, received);
      }
    });
  });
  request.on('error', (error) => {
    throw error;
  });
}

function report(): void {
  delays.sort((a, b) => a - b);
  const percentile = (p: number) => delays[Math.min(delays.length - 1, Math.floor((p / 100) * delays.length))] ?? 0;
  const summary = { delivered, duplicates, reconnects, lastReceipt, p50: percentile(50), p99: percentile(99), max: delays.at(-1) ?? 0 };
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  process.exit(0);
}

for (let index = 0; index < subscribers; index++) subscribe(index, '', 0);
process.stderr.write(`connected ${subscribers}\n`);
