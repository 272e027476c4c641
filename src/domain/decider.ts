/**
 * A decider is a record of three pure functions (emmett style): `decide` turns a command and the
 * current state into new events (or throws an AppError), `evolve` folds one event into the
 * state, `initialState` is the state of an empty stream. No I/O, clocks or random ids inside:
 * those arrive in the command.
 */
export interface Decider<State, Command, Event> {
  initialState: () => State;
  evolve: (state: State, event: Event) => State;
  decide: (command: Command, state: State) => Event[];
}

/** A domain event as the deciders see it: a type and its payload, no envelope. */
export interface DomainEvent<Type extends string = string, Data = Record<string, unknown>> {
  type: Type;
  data: Data;
}

/** A command: an imperative type, its payload, and the facts the outside world supplies. */
export interface Command<Type extends string = string, Data = Record<string, unknown>> {
  type: Type;
  data: Data;
  metadata: CommandMetadata;
}

/** Facts from outside the domain that a decision may depend on. */
export interface CommandMetadata {
  /** ISO-8601 time from the injected clock. */
  now: string;
}

/** Folds a list of events into a state. */
export function fold<State, Event>(decider: Pick<Decider<State, unknown, Event>, 'initialState' | 'evolve'>, events: readonly Event[]): State {
  return events.reduce(decider.evolve, decider.initialState());
}
