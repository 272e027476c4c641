import type { ServerDuplexStream, ServerErrorResponse, ServerReadableStream, sendUnaryData } from '@grpc/grpc-js';
import type { ExpectedRevision } from './commitCheck.ts';
import type { EventLog, WriteOutcome } from './eventLog.ts';
import { GoogleEmpty, sharedPb, streamsPb } from './generated.ts';
import {
  badRequestStatus,
  invalidArgument,
  streamDeletedError,
  streamDeletedStatus,
  timeoutStatus,
  wrongExpectedVersionStatus,
} from './grpcErrors.ts';
import type { OpenCalls } from './openCalls.ts';
import type { ProposedEvent } from './storedEvent.ts';
import {
  expectedRevisionOf,
  parseUuid,
  positionMessage,
  proposedEvent,
  streamIdentifier,
  streamNameOf,
} from './protoConvert.ts';

type AppendReq = InstanceType<typeof streamsPb.AppendReq>;
type AppendResp = InstanceType<typeof streamsPb.AppendResp>;
type BatchAppendReq = InstanceType<typeof streamsPb.BatchAppendReq>;
type BatchAppendResp = InstanceType<typeof streamsPb.BatchAppendResp>;

/**
 * Streams/Append (client streaming): one options message, then one message per event. A wrong
 * expected version is a normal response message; a deleted stream is an error status.
 */
export function appendHandler(log: EventLog) {
  return (call: ServerReadableStream<AppendReq, AppendResp>, callback: sendUnaryData<AppendResp>): void => {
    let target: { streamName: string; expected: ExpectedRevision } | undefined;
    const events: ProposedEvent[] = [];
    let failed = false;
    const fail = (error: Error): void => {
      if (failed) return;
      failed = true;
      callback(error);
    };
    call.on('data', (request: AppendReq) => {
      try {
        const options = request.getOptions();
        const message = request.getProposedMessage();
        if (options && !target) {
          target = { streamName: streamNameOf(options.getStreamIdentifier()), expected: expectedRevisionOf(options) };
        } else if (message && target) {
          events.push(proposedEvent(message));
        } else {
          fail(invalidArgument('Append expects one options message followed by proposed messages.'));
        }
      } catch (error) {
        fail(error as Error);
      }
    });
    call.on('end', () => {
      if (failed) return;
      if (!target) return fail(invalidArgument('Append received no options message.'));
      const outcome = log.append(target.streamName, target.expected, events);
      if (outcome.kind === 'streamDeleted') return fail(streamDeletedError(target.streamName));
      callback(null, appendResponse(outcome, target.expected));
    });
  };
}

function appendResponse(outcome: Exclude<WriteOutcome, { kind: 'streamDeleted' }>, expected: ExpectedRevision): AppendResp {
  if (outcome.kind === 'success') {
    const success = new streamsPb.AppendResp.Success();
    if (outcome.currentRevision < 0n) success.setNoStream(new sharedPb.Empty());
    else success.setCurrentRevision(outcome.currentRevision.toString());
    if (outcome.position === undefined) success.setNoPosition(new sharedPb.Empty());
    else success.setPosition(positionMessage(new streamsPb.AppendResp.Position(), outcome.position));
    return new streamsPb.AppendResp().setSuccess(success);
  }
  const wrong = new streamsPb.AppendResp.WrongExpectedVersion();
  if (outcome.currentRevision < 0n) wrong.setCurrentNoStream(new sharedPb.Empty());
  else wrong.setCurrentRevision(outcome.currentRevision.toString());
  if (expected === 'any') wrong.setExpectedAny(new sharedPb.Empty());
  else if (expected === 'no_stream') wrong.setExpectedNoStream(new sharedPb.Empty());
  else if (expected === 'stream_exists') wrong.setExpectedStreamExists(new sharedPb.Empty());
  else wrong.setExpectedRevision(expected.toString());
  return new streamsPb.AppendResp().setWrongExpectedVersion(wrong);
}

interface PendingBatch {
  streamName: string;
  expected: ExpectedRevision;
  deadline: Date | undefined;
  events: ProposedEvent[];
}

/**
 * Streams/BatchAppend (bidirectional): requests carry a correlation id; the first of a batch has
 * the options, the one with `is_final` closes it and gets one response with the same correlation
 * id. Failures are `google.rpc.Status` values inside the response, never a call error.
 */
export function batchAppendHandler(log: EventLog, openCalls: OpenCalls) {
  return (call: ServerDuplexStream<BatchAppendReq, BatchAppendResp>): void => {
    const pending = new Map<string, PendingBatch>();
    const drop = (error: ServerErrorResponse): void => {
      openCalls.delete(drop);
      if (!call.cancelled && !call.writableEnded) call.emit('error', error);
    };
    openCalls.add(drop);
    for (const event of ['end', 'cancelled', 'close']) call.on(event, () => openCalls.delete(drop));
    call.on('data', (request: BatchAppendReq) => {
      const correlation = request.getCorrelationId();
      const key = parseUuid(correlation);
      const options = request.getOptions();
      if (options) {
        const deadline = options.getDeadline()?.toDate();
        const streamName = streamNameOf(options.getStreamIdentifier());
        pending.set(key, { streamName, expected: batchExpectedRevision(options), deadline, events: [] });
      }
      const batch = pending.get(key);
      if (!batch) return;
      const respond = (fill: (response: BatchAppendResp) => void): void => {
        pending.delete(key);
        const response = new streamsPb.BatchAppendResp().setStreamIdentifier(streamIdentifier(batch.streamName));
        if (correlation) response.setCorrelationId(correlation);
        fill(response);
        if (!call.writableEnded) call.write(response);
      };
      try {
        batch.events.push(...request.getProposedMessagesList().map(proposedEvent));
      } catch (error) {
        return respond((response) => response.setError(badRequestStatus((error as Error).message)));
      }
      if (!request.getIsFinal()) return;
      if (batch.deadline && batch.deadline.getTime() <= Date.now()) {
        return respond((response) => response.setError(timeoutStatus()));
      }
      const outcome = log.append(batch.streamName, batch.expected, batch.events);
      respond((response) => fillBatchResponse(response, outcome, batch));
    });
    call.on('end', () => {
      if (!call.writableEnded) call.end();
    });
  };
}

function fillBatchResponse(response: BatchAppendResp, outcome: WriteOutcome, batch: PendingBatch): void {
  if (outcome.kind === 'streamDeleted') {
    response.setError(streamDeletedStatus(batch.streamName));
  } else if (outcome.kind === 'wrongExpectedVersion') {
    response.setError(wrongExpectedVersionStatus(outcome.currentRevision, batch.expected));
  } else {
    const success = new streamsPb.BatchAppendResp.Success();
    if (outcome.currentRevision < 0n) success.setNoStream(new GoogleEmpty());
    else success.setCurrentRevision(outcome.currentRevision.toString());
    if (outcome.position === undefined) success.setNoPosition(new GoogleEmpty());
    else success.setPosition(positionMessage(new sharedPb.AllStreamPosition(), outcome.position));
    response.setSuccess(success);
  }
}

function batchExpectedRevision(options: InstanceType<typeof streamsPb.BatchAppendReq.Options>): ExpectedRevision {
  if (options.hasStreamPosition()) return BigInt(options.getStreamPosition());
  if (options.hasNoStream()) return 'no_stream';
  if (options.hasStreamExists()) return 'stream_exists';
  return 'any';
}
