import type { DomainEvent } from '../decider.ts';
import type { SettingKey, SettingValues } from './settingDefinitions.ts';

/**
 * A dynamic setting took a new value (stream `settings`). `previousValue` is the value in force
 * before, the default when the setting had never been changed.
 */
export type SettingChanged = {
  [Key in SettingKey]: DomainEvent<
    'SettingChanged',
    { key: Key; value: SettingValues[Key]; previousValue: SettingValues[Key] }
  >;
}[SettingKey];

export type SettingsEvent = SettingChanged;
