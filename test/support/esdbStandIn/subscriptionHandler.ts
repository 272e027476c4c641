import type { ServerErrorResponse, ServerWritableStream } from '@grpc/grpc-js';
import type { EventLog } from './eventLog.ts';
import { eventFilterOf, type EventFilter } from './eventFilter.ts';
import { streamsPb } from './generated.ts';
import { invalidArgument, streamDeletedError } from './grpcErrors.ts';
import type { OpenCalls } from './openCalls.ts';
import { checkpointResponse, readEventResponse, streamNameOf } from './protoConvert.ts';
import type { StoredEvent } from './storedEvent.ts';

type ReadReq = InstanceType<typeof streamsPb.ReadReq>;
type ReadResp = InstanceType<typeof streamsPb.ReadResp>;
type ReadOptions = InstanceType<typeof streamsPb.ReadReq.Options>;

const { RevisionOptionCase } = streamsPb.ReadReq.Options.StreamOptions;
const { AllOptionCase } = streamsPb.ReadReq.Options.AllOptions;

/** What a subscription needs to talk to its caller. */
interface SubscriptionCall {
  send(event: StoredEvent): void;
  write(response: ReadResp): void;
  close(error?: ServerErrorResponse): void;
  /** Runs `listener` on every event written to the log until the subscription closes. */
  follow(listener: (event: StoredEvent) => void): void;
}

/**
 * A catch-up subscription over Streams/Read, in ESDB's order: confirmation, history strictly
 * after the start, `caughtUp`, then live events. Everything up to following the live log runs in
 * one synchronous step, so no write can slip between history and live. Responses are buffered
 * without backpressure (fine for a test fixture).
 */
export function subscribe(
  call: ServerWritableStream<ReadReq, ReadResp>,
  options: ReadOptions,
  log: EventLog,
  openCalls: OpenCalls,
): void {
  const structuredIds = options.getUuidOption()?.hasStructured() ?? false;
  const filterOptions = options.getFilter();
  const filter = filterOptions ? eventFilterOf(filterOptions) : undefined;
  const streamOptions = options.getStream();
  const allOptions = options.getAll();
  if (!streamOptions && !allOptions) throw invalidArgument('A subscription needs a stream or $all.');
  if (streamOptions && filter) throw invalidArgument('Filters apply to $all subscriptions only.');

  let closed = false;
  let unfollow = (): void => {};
  const drop = (error: ServerErrorResponse): void => subscription.close(error);
  const subscription: SubscriptionCall = {
    write(response) {
      if (!closed && !call.cancelled && !call.writableEnded) call.write(response);
    },
    send(event) {
      this.write(readEventResponse(event, structuredIds));
    },
    close(error) {
      if (closed) return;
      closed = true;
      unfollow();
      openCalls.delete(drop);
      if (error && !call.cancelled && !call.writableEnded) call.emit('error', error);
    },
    follow(listener) {
      if (!closed) unfollow = log.onWritten(listener);
    },
  };
  openCalls.add(drop);
  call.on('cancelled', () => subscription.close());
  call.on('close', () => subscription.close());

  const confirmation = new streamsPb.ReadResp.SubscriptionConfirmation().setSubscriptionId(crypto.randomUUID());
  subscription.write(new streamsPb.ReadResp().setConfirmation(confirmation));
  if (streamOptions) subscribeToStream(subscription, log, streamOptions);
  else if (allOptions) subscribeToAll(subscription, log, allOptions, filter);
}

function caughtUp(): ReadResp {
  return new streamsPb.ReadResp().setCaughtUp(new streamsPb.ReadResp.CaughtUp());
}

function subscribeToStream(
  subscription: SubscriptionCall,
  log: EventLog,
  options: InstanceType<typeof streamsPb.ReadReq.Options.StreamOptions>,
): void {
  const streamName = streamNameOf(options.getStreamIdentifier());
  let after = -1n;
  if (options.getRevisionOptionCase() === RevisionOptionCase.REVISION) after = BigInt(options.getRevision());
  if (options.getRevisionOptionCase() === RevisionOptionCase.END) after = log.lastRevision(streamName);
  const history = log.readStream(streamName);
  if (history.kind === 'deleted') return subscription.close(streamDeletedError(streamName));
  const deliver = (event: StoredEvent): void => {
    if (event.streamName !== streamName || event.revision <= after) return;
    subscription.send(event);
    after = event.revision;
    // ESDB passes the tombstone on, then ends the subscription.
    if (event.type === '$streamDeleted') subscription.close(streamDeletedError(streamName));
  };
  if (history.kind === 'found') history.events.forEach(deliver);
  subscription.write(caughtUp());
  subscription.follow(deliver);
}

/**
 * With a filter, ESDB counts every event it scans (matching or not) and sends a checkpoint each
 * `checkpointInterval` of them, once more at the end of the catch-up, and live every interval.
 */
function subscribeToAll(
  subscription: SubscriptionCall,
  log: EventLog,
  options: InstanceType<typeof streamsPb.ReadReq.Options.AllOptions>,
  filter: EventFilter | undefined,
): void {
  let after = -1n;
  if (options.getAllOptionCase() === AllOptionCase.POSITION) after = BigInt(options.getPosition()!.getCommitPosition());
  if (options.getAllOptionCase() === AllOptionCase.END) after = log.lastPosition ?? -1n;
  let scanned = 0;
  let lastCheckpoint = -1n;
  const checkpoint = (position: bigint): void => {
    if (position <= lastCheckpoint) return;
    lastCheckpoint = position;
    subscription.write(checkpointResponse(position));
  };
  const consider = (event: StoredEvent): void => {
    if (!filter || filter.matches(event)) subscription.send(event);
    if (filter && ++scanned >= filter.checkpointInterval) {
      scanned = 0;
      checkpoint(event.position);
    }
  };
  const history = log.all.filter((event) => event.position > after);
  history.forEach(consider);
  const lastScanned = history.at(-1);
  if (filter && lastScanned) checkpoint(lastScanned.position);
  scanned = 0;
  subscription.write(caughtUp());
  subscription.follow(consider);
}
