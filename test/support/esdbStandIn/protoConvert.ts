import type { ExpectedRevision } from './commitCheck.ts';
import { sharedPb, streamsPb } from './generated.ts';
import { requiredMetadataMissing } from './grpcErrors.ts';
import type { ProposedEvent, StoredEvent } from './storedEvent.ts';

type UUID = InstanceType<typeof sharedPb.UUID>;
type StreamIdentifier = InstanceType<typeof sharedPb.StreamIdentifier>;
type ReadResp = InstanceType<typeof streamsPb.ReadResp>;

/** The options oneof every write request shares (Append, Delete, Tombstone). */
interface ExpectedRevisionOptions {
  hasRevision(): boolean;
  getRevision(): string;
  hasNoStream(): boolean;
  hasStreamExists(): boolean;
}

/** What a proposed message of Append and of BatchAppend both offer. */
interface ProposedMessage {
  getId(): UUID | undefined;
  getMetadataMap(): { get(key: string): string | undefined };
  getData_asU8(): Uint8Array;
  getCustomMetadata_asU8(): Uint8Array;
}

export function streamNameOf(identifier: StreamIdentifier | undefined): string {
  return Buffer.from(identifier?.getStreamName_asU8() ?? new Uint8Array()).toString('utf8');
}

export function streamIdentifier(streamName: string): StreamIdentifier {
  return new sharedPb.StreamIdentifier().setStreamName(Buffer.from(streamName, 'utf8'));
}

/** Reads a UUID sent either as a string or as two signed 64-bit halves (the .NET layout). */
export function parseUuid(uuid: UUID | undefined): string {
  if (!uuid) return '';
  const structured = uuid.getStructured();
  if (!uuid.hasStructured() || !structured) return uuid.getString();
  const bytes = Buffer.alloc(16);
  bytes.writeBigInt64BE(BigInt(structured.getMostSignificantBits()), 0);
  bytes.writeBigInt64BE(BigInt(structured.getLeastSignificantBits()), 8);
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function toUuid(id: string, structured: boolean): UUID {
  const uuid = new sharedPb.UUID();
  if (!structured) return uuid.setString(id);
  const bytes = Buffer.from(id.replaceAll('-', ''), 'hex');
  const halves = new sharedPb.UUID.Structured()
    .setMostSignificantBits(bytes.readBigInt64BE(0).toString())
    .setLeastSignificantBits(bytes.readBigInt64BE(8).toString());
  return uuid.setStructured(halves);
}

/** Any, NoStream, StreamExists or an exact revision (the oneof's default is `any`). */
export function expectedRevisionOf(options: ExpectedRevisionOptions): ExpectedRevision {
  if (options.hasRevision()) return BigInt(options.getRevision());
  if (options.hasNoStream()) return 'no_stream';
  if (options.hasStreamExists()) return 'stream_exists';
  return 'any';
}

/** ESDB's `long` form of an expected revision, as in the `expected-version` error metadata. */
export function expectedVersionNumber(expected: ExpectedRevision): bigint {
  if (expected === 'any') return -2n;
  if (expected === 'no_stream') return -1n;
  if (expected === 'stream_exists') return -4n;
  return expected;
}

/** @throws the `missing-required-metadata-property` error when `type` or `content-type` is absent. */
export function proposedEvent(message: ProposedMessage): ProposedEvent {
  const metadata = message.getMetadataMap();
  const type = metadata.get('type');
  const contentType = metadata.get('content-type');
  if (type === undefined || contentType === undefined) throw requiredMetadataMissing(type === undefined ? 'type' : 'content-type');
  return {
    id: parseUuid(message.getId()),
    type,
    contentType,
    data: Uint8Array.from(message.getData_asU8()),
    metadata: Uint8Array.from(message.getCustomMetadata_asU8()),
  };
}

/** An event as ESDB sends it on a read or a subscription. */
export function readEventResponse(event: StoredEvent, structuredIds: boolean): ReadResp {
  const position = event.position.toString();
  const recorded = new streamsPb.ReadResp.ReadEvent.RecordedEvent()
    .setId(toUuid(event.id, structuredIds))
    .setStreamIdentifier(streamIdentifier(event.streamName))
    .setStreamRevision(event.revision.toString())
    .setCommitPosition(position)
    .setPreparePosition(position)
    .setData(event.data)
    .setCustomMetadata(event.metadata);
  const metadata = recorded.getMetadataMap();
  metadata.set('type', event.type);
  metadata.set('created', event.created.toString());
  metadata.set('content-type', event.contentType === 'application/json' ? 'application/json' : 'application/octet-stream');
  const readEvent = new streamsPb.ReadResp.ReadEvent().setEvent(recorded).setCommitPosition(position);
  return new streamsPb.ReadResp().setEvent(readEvent);
}

export function checkpointResponse(position: bigint): ReadResp {
  return new streamsPb.ReadResp().setCheckpoint(positionMessage(new streamsPb.ReadResp.Checkpoint(), position));
}

/** Fills one of the protocol's many commit/prepare pairs (equal for every event the stand-in writes). */
export function positionMessage<Message extends PositionMessage<Message>>(message: Message, position: bigint): Message {
  return message.setCommitPosition(position.toString()).setPreparePosition(position.toString());
}

interface PositionMessage<Self> {
  setCommitPosition(value: string): Self;
  setPreparePosition(value: string): Self;
}
