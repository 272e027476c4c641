import { AppError } from '../../errors/appError.ts';
import type { Position } from '../../ports/eventStore.ts';

/**
 * Positions are the global sequence number of an event, written as fixed-width lowercase hex so
 * that plain string order is commit order. Sequence numbers start at 1; sequence 0 is the start
 * of the log, before every event.
 */
const POSITION_DIGITS = 16;
const POSITION_PATTERN = /^[0-9a-f]{16}$/;

export const LOG_START_SEQUENCE = 0;

export function positionOf(sequence: number): Position {
  return sequence.toString(16).padStart(POSITION_DIGITS, '0') as Position;
}

/** @throws AppError `INVALID_POSITION` for a string this store never produced. */
export function sequenceOf(position: Position): number {
  if (typeof position !== 'string' || !POSITION_PATTERN.test(position)) {
    throw new AppError('INVALID_POSITION', `Not a position of the LMDB event store: ${String(position)}.`, {
      status: 400,
    });
  }
  return Number.parseInt(position, 16);
}
