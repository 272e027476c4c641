import type { sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import type { EventLog, WriteOutcome } from './eventLog.ts';
import { sharedPb, streamsPb } from './generated.ts';
import { invalidArgument, streamDeletedError, wrongExpectedVersionError } from './grpcErrors.ts';
import { expectedRevisionOf, expectedVersionNumber, positionMessage, streamNameOf } from './protoConvert.ts';

type DeleteReq = InstanceType<typeof streamsPb.DeleteReq>;
type DeleteResp = InstanceType<typeof streamsPb.DeleteResp>;
type TombstoneReq = InstanceType<typeof streamsPb.TombstoneReq>;
type TombstoneResp = InstanceType<typeof streamsPb.TombstoneResp>;

/**
 * Streams/Delete (soft) and Streams/Tombstone (hard). Unlike appends, their wrong expected
 * version travels as error trailers: `exception`, `stream-name`, `expected-version`, `actual-version`.
 */
export function deleteHandler(log: EventLog) {
  return (call: ServerUnaryCall<DeleteReq, DeleteResp>, callback: sendUnaryData<DeleteResp>): void => {
    const options = call.request.getOptions();
    if (!options) return callback(invalidArgument('Delete needs options.'));
    const streamName = streamNameOf(options.getStreamIdentifier());
    const expected = expectedRevisionOf(options);
    const outcome = log.softDelete(streamName, expected);
    if (outcome.kind !== 'success') return callback(deleteError('Delete', streamName, expectedVersionNumber(expected), outcome));
    const response = new streamsPb.DeleteResp();
    if (outcome.position === undefined) response.setNoPosition(new sharedPb.Empty());
    else response.setPosition(positionMessage(new streamsPb.DeleteResp.Position(), outcome.position));
    callback(null, response);
  };
}

export function tombstoneHandler(log: EventLog) {
  return (call: ServerUnaryCall<TombstoneReq, TombstoneResp>, callback: sendUnaryData<TombstoneResp>): void => {
    const options = call.request.getOptions();
    if (!options) return callback(invalidArgument('Tombstone needs options.'));
    const streamName = streamNameOf(options.getStreamIdentifier());
    const expected = expectedRevisionOf(options);
    const outcome = log.tombstone(streamName, expected);
    if (outcome.kind !== 'success') return callback(deleteError('Delete', streamName, expectedVersionNumber(expected), outcome));
    const response = new streamsPb.TombstoneResp();
    if (outcome.position === undefined) response.setNoPosition(new sharedPb.Empty());
    else response.setPosition(positionMessage(new streamsPb.TombstoneResp.Position(), outcome.position));
    callback(null, response);
  };
}

function deleteError(
  operation: string,
  streamName: string,
  expectedVersion: bigint,
  outcome: Exclude<WriteOutcome, { kind: 'success' }>,
) {
  return outcome.kind === 'streamDeleted'
    ? streamDeletedError(streamName)
    : wrongExpectedVersionError(operation, streamName, expectedVersion, outcome.currentRevision);
}
