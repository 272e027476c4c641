import { MAX_POSITIVE_INTEGER } from '../fieldRules.ts';

/**
 * Where a new image or video goes when the client names no order: after the product's last
 * one of its kind (max + 1), or at `first` in a gallery without any. One rule for Omnitron
 * uploads (`first` 0) and ShipStream `create` (`position`, `first` 1), so one gallery has one
 * order. Decided on the gallery as written, so concurrent uploads never share a place.
 */
export interface AfterLast {
  afterLast: true;
  /** The order of the first medium of a gallery. */
  first: number;
}

/** An order the client chose, or {@link AfterLast}. */
export type RequestedOrder = number | AfterLast;


/** The order a new medium takes among the live `orders` of its kind. */
export function placedOrder(requested: RequestedOrder, orders: readonly number[]): number {
  if (typeof requested === 'number') return requested;
  if (orders.length === 0) return requested.first;
  // At the largest order the new medium ties with the last, and ties sort by creation: still after it.
  return Math.min(MAX_POSITIVE_INTEGER, orders.reduce((max, order) => Math.max(max, order), 0) + 1);
}
