import type { ServerWritableStream } from '@grpc/grpc-js';
import type { EventLog } from './eventLog.ts';
import { eventFilterOf } from './eventFilter.ts';
import { streamsPb } from './generated.ts';
import { invalidArgument, streamDeletedError } from './grpcErrors.ts';
import type { OpenCalls } from './openCalls.ts';
import { readEventResponse, streamNameOf } from './protoConvert.ts';
import type { StoredEvent } from './storedEvent.ts';
import { subscribe } from './subscriptionHandler.ts';

type ReadReq = InstanceType<typeof streamsPb.ReadReq>;
type ReadResp = InstanceType<typeof streamsPb.ReadResp>;
type ReadOptions = InstanceType<typeof streamsPb.ReadReq.Options>;
type StreamOptions = InstanceType<typeof streamsPb.ReadReq.Options.StreamOptions>;
type AllOptions = InstanceType<typeof streamsPb.ReadReq.Options.AllOptions>;

const { ReadDirection } = streamsPb.ReadReq.Options;
const { RevisionOptionCase } = streamsPb.ReadReq.Options.StreamOptions;
const { AllOptionCase } = streamsPb.ReadReq.Options.AllOptions;

/**
 * Streams/Read (server streaming). With the subscription option it is a subscription; otherwise a
 * finite read of one stream (by revision, both inclusive) or of `$all` (forwards from P includes
 * P, backwards from P excludes it, as ESDB's log reader does).
 */
export function readHandler(log: EventLog, openCalls: OpenCalls) {
  return (call: ServerWritableStream<ReadReq, ReadResp>): void => {
    try {
      const options = call.request.getOptions();
      if (!options) throw invalidArgument('Read needs options.');
      if (options.hasSubscription()) return subscribe(call, options, log, openCalls);
      if (!options.hasCount()) throw invalidArgument('Read needs a count or the subscription option.');
      const structuredIds = options.getUuidOption()?.hasStructured() ?? false;
      const stream = options.getStream();
      const all = options.getAll();
      let responses: ReadResp[];
      if (stream) responses = readStream(log, stream, options);
      else if (all) responses = readAll(log, all, options).map((event) => readEventResponse(event, structuredIds));
      else throw invalidArgument('Read needs a stream or $all.');
      for (const response of responses) call.write(response);
      call.end();
    } catch (error) {
      call.emit('error', error);
    }
  };
}

function readStream(log: EventLog, options: StreamOptions, readOptions: ReadOptions): ReadResp[] {
  const streamName = streamNameOf(options.getStreamIdentifier());
  const read = log.readStream(streamName);
  if (read.kind === 'deleted') throw streamDeletedError(streamName);
  if (read.kind === 'notFound') {
    const notFound = new streamsPb.ReadResp.StreamNotFound().setStreamIdentifier(options.getStreamIdentifier());
    return [new streamsPb.ReadResp().setStreamNotFound(notFound)];
  }
  const forwards = readOptions.getReadDirection() === ReadDirection.FORWARDS;
  const from = streamReadStart(options, forwards);
  const structuredIds = readOptions.getUuidOption()?.hasStructured() ?? false;
  return streamSlice(read.events, from, forwards, BigInt(readOptions.getCount())).map((event) => readEventResponse(event, structuredIds));
}

/**
 * At most `count` events from revision `from` on (or down), found by index as ESDB's stream
 * index finds them: a stream's events have consecutive revisions, so a read of its tail costs
 * the tail, not the stream.
 */
function streamSlice(events: readonly StoredEvent[], from: bigint, forwards: boolean, count: bigint): StoredEvent[] {
  const first = events[0]?.revision ?? 0n;
  const length = BigInt(events.length);
  if (forwards) {
    const start = from < first ? 0n : from - first;
    if (start >= length) return [];
    const end = count < length - start ? start + count : length;
    return events.slice(Number(start), Number(end));
  }
  if (from < first) return [];
  const last = from - first < length ? from - first : length - 1n;
  const start = last + 1n > count ? last + 1n - count : 0n;
  return events.slice(Number(start), Number(last) + 1).reverse();
}

/** The first revision to read; `end` forwards reads nothing, `start` backwards reads revision 0 only. */
function streamReadStart(options: StreamOptions, forwards: boolean): bigint {
  switch (options.getRevisionOptionCase()) {
    case RevisionOptionCase.REVISION:
      return BigInt(options.getRevision());
    case RevisionOptionCase.END:
      return forwards ? 2n ** 64n : 2n ** 64n - 1n;
    default:
      return 0n;
  }
}

function readAll(log: EventLog, options: AllOptions, readOptions: ReadOptions): StoredEvent[] {
  const forwards = readOptions.getReadDirection() === ReadDirection.FORWARDS;
  const filterOptions = readOptions.getFilter();
  const filter = filterOptions ? eventFilterOf(filterOptions) : undefined;
  const events = log.all;
  let selected: StoredEvent[];
  switch (options.getAllOptionCase()) {
    case AllOptionCase.POSITION: {
      const position = BigInt(options.getPosition()!.getCommitPosition());
      selected = forwards ? events.filter((event) => event.position >= position) : events.filter((event) => event.position < position).reverse();
      break;
    }
    case AllOptionCase.END:
      selected = forwards ? [] : [...events].reverse();
      break;
    default:
      selected = forwards ? [...events] : [];
  }
  if (filter) selected = selected.filter((event) => filter.matches(event));
  return take(selected, BigInt(readOptions.getCount()));
}

function take(events: StoredEvent[], count: bigint): StoredEvent[] {
  return count < BigInt(events.length) ? events.slice(0, Number(count)) : events;
}
