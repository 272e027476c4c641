import * as assert from 'uvu/assert';
import type { Decider } from '../../src/domain/decider.ts';
import { AppError } from '../../src/errors/appError.ts';

/**
 * Given/When/Then for deciders: `given(events).when(command).then(events)` or
 * `.thenThrows(code, message?, details?)`. Asserts errors by code and exact text.
 */
export function deciderSpec<State, Command, Event>(decider: Decider<State, Command, Event>) {
  return {
    given(events: Event[]) {
      return {
        when(command: Command) {
          const run = () => decider.decide(command, events.reduce(decider.evolve, decider.initialState()));
          return {
            then(expected: Event[]) {
              assert.equal(run(), expected);
            },
            thenThrows(code: string, message?: string, details?: unknown) {
              try {
                run();
              } catch (error) {
                assert.instance(error, AppError, 'decide must throw an AppError');
                const appError = error as AppError;
                assert.is(appError.code, code);
                if (message !== undefined) assert.is(appError.message, message);
                if (details !== undefined) assert.equal(appError.details, details);
                return;
              }
              assert.unreachable(`expected decide to throw ${code}`);
            },
          };
        },
      };
    },
  };
}
