import type { Command, Decider } from '../decider.ts';
import { ValidationError } from '../../errors/appError.ts';
import { invalidChoiceMessage } from '../fieldRules.ts';
import type { SettingKey, SettingValues } from './settingDefinitions.ts';
import { isSettingKey, SETTING_DEFINITIONS } from './settingDefinitions.ts';
import type { SettingsEvent } from './settingsEvents.ts';

/** `defaults`: nothing was ever changed. `customized`: the values changed so far. */
export type SettingsState =
  | { status: 'defaults' }
  | { status: 'customized'; values: Partial<SettingValues> };

/** Key and value as the client sent them: the decider validates both. */
export type ChangeSetting = Command<'ChangeSetting', { key: string; value: unknown }>;

export type SettingsCommand = ChangeSetting;

/** The value in force: the last one set, or the default. */
export function settingValue<Key extends SettingKey>(state: SettingsState, key: Key): SettingValues[Key] {
  const custom = state.status === 'customized' ? state.values[key] : undefined;
  return custom ?? SETTING_DEFINITIONS[key].defaultValue;
}

/**
 * @throws ValidationError `UNKNOWN_SETTING` (`{"key": ["\"FOO\" is not a valid choice."]}`) or
 *   `INVALID_SETTING_VALUE` (nested errors under `value`: `{"value": {"WIDTH": ["..."]}}`).
 */
function decide(command: SettingsCommand, state: SettingsState): SettingsEvent[] {
  switch (command.type) {
    case 'ChangeSetting': {
      const { key, value } = command.data;
      if (!isSettingKey(key)) throw ValidationError.field('key', invalidChoiceMessage(key), 'UNKNOWN_SETTING');
      const result = SETTING_DEFINITIONS[key].validate(value);
      if (!result.ok) throw new ValidationError({ value: result.errors }, 'INVALID_SETTING_VALUE');
      const previousValue = settingValue(state, key);
      // Values are small canonical records (fixed key order), so JSON text compares them.
      if (JSON.stringify(result.value) === JSON.stringify(previousValue)) return [];
      return [{ type: 'SettingChanged', data: { key, value: result.value, previousValue } }];
    }
    default: {
      const unknown: never = command.type;
      throw new Error(`Unknown settings command ${JSON.stringify(unknown)}`);
    }
  }
}

function evolve(state: SettingsState, event: SettingsEvent): SettingsState {
  switch (event.type) {
    case 'SettingChanged': {
      const values = state.status === 'customized' ? state.values : {};
      return { status: 'customized', values: { ...values, [event.data.key]: event.data.value } };
    }
    default: {
      const unknown: never = event.type;
      return unknown;
    }
  }
}

/** The dynamic settings aggregate (stream `settings`). A value equal to the one in force emits nothing. */
export const settingsDecider: Decider<SettingsState, SettingsCommand, SettingsEvent> = {
  initialState: () => ({ status: 'defaults' }),
  evolve,
  decide,
};
