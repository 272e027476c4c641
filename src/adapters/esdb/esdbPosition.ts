import type { Position as DriverPosition } from '@eventstore/db-client';
import { AppError } from '../../errors/appError.ts';
import type { Position } from '../../ports/eventStore.ts';

/**
 * EventStoreDB's `$all` position is a pair of unsigned 64-bit log offsets, `{ commit, prepare }`,
 * ordered by commit, then prepare. Written as 16 + 16 fixed-width lowercase hex digits, plain
 * string order is that order. Both halves are kept: resuming a filtered subscription from the
 * commit half alone can skip an event (kurrent-io/KurrentDB#4970).
 */
const HALF_DIGITS = 16;
const POSITION_PATTERN = /^[0-9a-f]{32}$/;
const MAX_OFFSET = 2n ** 64n - 1n;
const ZEROES = '0'.repeat(HALF_DIGITS);

/** The start of the log, before every event: what an append that wrote nothing answers. */
export const LOG_START_POSITION = '0'.repeat(2 * HALF_DIGITS) as Position;

export function encodePosition(position: DriverPosition): Position {
  return (half(position.commit) + half(position.prepare)) as Position;
}

/** @throws AppError `INVALID_POSITION` (400) for a string this adapter never produced. */
export function decodePosition(position: Position): DriverPosition {
  if (typeof position !== 'string' || !POSITION_PATTERN.test(position)) {
    throw new AppError('INVALID_POSITION', `Not a position of the EventStoreDB event store: ${String(position)}.`, {
      status: 400,
    });
  }
  return {
    commit: BigInt(`0x${position.slice(0, HALF_DIGITS)}`),
    prepare: BigInt(`0x${position.slice(HALF_DIGITS)}`),
  };
}

function half(offset: bigint): string {
  if (offset < 0n || offset > MAX_OFFSET) {
    throw new AppError('EVENT_STORE_FAILED', `EventStoreDB sent a log position out of range: ${offset}.`);
  }
  const hex = offset.toString(16);
  return ZEROES.slice(hex.length) + hex;
}
