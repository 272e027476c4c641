import type { StoredEvent } from './storedEvent.ts';
import { streamsPb } from './generated.ts';
import { invalidArgument } from './grpcErrors.ts';

type FilterOptions = InstanceType<typeof streamsPb.ReadReq.Options.FilterOptions>;

/** ESDB reads this many events per page; a filter's checkpoint interval is a multiple of it. */
export const DEFAULT_SEARCH_WINDOW = 32;

export interface EventFilter {
  matches(event: StoredEvent): boolean;
  /** Scanned events (matching or not) between two checkpoints. */
  checkpointInterval: number;
}

/**
 * A server-side `$all` filter: on the stream name or on the event type, by regex (when one is
 * given, as ESDB does) or else by prefixes. `excludeSystemEvents()` is the event-type regex `^[^$].*`.
 * @throws the INVALID_ARGUMENT error when the filter names neither a stream nor an event type.
 */
export function eventFilterOf(options: FilterOptions): EventFilter {
  const byStream = options.getStreamIdentifier();
  const byType = options.getEventType();
  const expression = byStream ?? byType;
  if (!expression) throw invalidArgument('A filter needs a stream identifier or an event type expression.');
  const field = byStream ? (event: StoredEvent) => event.streamName : (event: StoredEvent) => event.type;
  const regex = expression.getRegex();
  const prefixes = expression.getPrefixList();
  const test = regex !== '' ? regexTest(new RegExp(regex)) : (value: string) => prefixes.some((prefix) => value.startsWith(prefix));
  const window = options.hasMax() ? options.getMax() : DEFAULT_SEARCH_WINDOW;
  return {
    matches: (event) => test(field(event)),
    checkpointInterval: Math.max(1, options.getCheckpointintervalmultiplier()) * window,
  };
}

function regexTest(regex: RegExp): (value: string) => boolean {
  return (value) => regex.test(value);
}
