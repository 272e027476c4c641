import { InvalidArgumentError } from 'commander';

/** Option parser: a positive integer. @throws InvalidArgumentError */
export function positiveInteger(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) throw new InvalidArgumentError('Must be a positive integer.');
  return Number(text);
}
