import { Metadata, status, type ServerErrorResponse } from '@grpc/grpc-js';
import type { ExpectedRevision } from './commitCheck.ts';
import { codePb, GoogleEmpty, ProtoAny, sharedPb, statusPb } from './generated.ts';

/**
 * Errors as EventStoreDB sends them. Most RPCs fail with a gRPC status whose trailers carry
 * `exception: <kind>` plus details (the client's `convertToCommandError` reads them); BatchAppend
 * instead answers with a `google.rpc.Status` whose `details` packs an `event_store.client.*` message.
 */

type RpcStatus = InstanceType<typeof statusPb.Status>;

export function rpcError(code: status, details: string, trailers: Record<string, string> = {}): ServerErrorResponse {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(trailers)) metadata.set(key, value);
  return Object.assign(new Error(details), { code, details, metadata });
}

export function wrongExpectedVersionError(
  operation: string,
  streamName: string,
  expectedVersion: bigint,
  actualVersion: bigint,
): ServerErrorResponse {
  return rpcError(
    status.FAILED_PRECONDITION,
    `${operation} failed due to WrongExpectedVersion. Stream: ${streamName}, Expected version: ${expectedVersion}, Actual version: ${actualVersion}`,
    {
      exception: 'wrong-expected-version',
      'stream-name': streamName,
      'expected-version': expectedVersion.toString(),
      'actual-version': actualVersion.toString(),
    },
  );
}

export function streamDeletedError(streamName: string): ServerErrorResponse {
  return rpcError(status.FAILED_PRECONDITION, `Event stream '${streamName}' is deleted.`, {
    exception: 'stream-deleted',
    'stream-name': streamName,
  });
}

export function requiredMetadataMissing(property: string): ServerErrorResponse {
  return rpcError(status.INVALID_ARGUMENT, `Required Metadata Property '${property}' is missing`, {
    exception: 'missing-required-metadata-property',
    'required-metadata-properties': 'type,content-type',
  });
}

/** What a client sees from a server going down (ESDB answers this way while shutting down). */
export function serverUnavailable(): ServerErrorResponse {
  return rpcError(status.UNAVAILABLE, 'Server Is Not Ready');
}

export function invalidArgument(details: string): ServerErrorResponse {
  return rpcError(status.INVALID_ARGUMENT, details);
}

/** BatchAppend's wrong expected version: code ALREADY_EXISTS, details `event_store.client.WrongExpectedVersion`. */
export function wrongExpectedVersionStatus(currentRevision: bigint, expected: ExpectedRevision): RpcStatus {
  const details = new sharedPb.WrongExpectedVersion();
  if (currentRevision < 0n) details.setCurrentNoStream(new GoogleEmpty());
  else details.setCurrentStreamRevision(currentRevision.toString());
  if (expected === 'any') details.setExpectedAny(new GoogleEmpty());
  else if (expected === 'no_stream') details.setExpectedNoStream(new GoogleEmpty());
  else if (expected === 'stream_exists') details.setExpectedStreamExists(new GoogleEmpty());
  else details.setExpectedStreamPosition(expected.toString());
  return packedStatus(codePb.Code.ALREADY_EXISTS, 'WrongExpectedVersion', details, 'event_store.client.WrongExpectedVersion');
}

export function streamDeletedStatus(streamName: string): RpcStatus {
  const details = new sharedPb.StreamDeleted().setStreamIdentifier(new sharedPb.StreamIdentifier().setStreamName(Buffer.from(streamName)));
  return packedStatus(codePb.Code.NOT_FOUND, 'StreamDeleted', details, 'event_store.client.StreamDeleted');
}

export function timeoutStatus(): RpcStatus {
  return packedStatus(codePb.Code.DEADLINE_EXCEEDED, 'Timeout', new sharedPb.Timeout(), 'event_store.client.Timeout');
}

export function badRequestStatus(message: string): RpcStatus {
  return packedStatus(codePb.Code.INVALID_ARGUMENT, 'BadRequest', new sharedPb.BadRequest().setMessage(message), 'event_store.client.BadRequest');
}

function packedStatus(code: number, message: string, details: { serializeBinary(): Uint8Array }, typeName: string): RpcStatus {
  const any = new ProtoAny();
  any.pack(details.serializeBinary(), typeName);
  return new statusPb.Status().setCode(code).setMessage(message).setDetails(any);
}
