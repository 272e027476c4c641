/** An event as a client proposes it (Append and BatchAppend carry the same fields). */
export interface ProposedEvent {
  id: string;
  type: string;
  contentType: string;
  data: Uint8Array;
  metadata: Uint8Array;
}

export interface StoredEvent extends ProposedEvent {
  streamName: string;
  revision: bigint;
  /** Commit and prepare position (equal for every event the stand-in writes). */
  position: bigint;
  /** .NET ticks (100 ns) since the Unix epoch. */
  created: bigint;
}
