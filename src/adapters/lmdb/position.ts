import type { Database } from 'lmdb';
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

const ZEROES = '0'.repeat(POSITION_DIGITS);

export function positionOf(sequence: number): Position {
  const hex = sequence.toString(16);
  return (ZEROES.slice(hex.length) + hex) as Position;
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

/** The sequence of the last event in `log`, or the start of the log when it is empty. */
export function lastSequenceOf(log: Database<string, number>): number {
  for (const sequence of log.getKeys({ reverse: true, limit: 1 })) return sequence;
  return LOG_START_SEQUENCE;
}
