import type { SettingKey, SettingValues } from '../../domain/settings/settingDefinitions.ts';
import { settingsDecider, settingValue, type SettingsState } from '../../domain/settings/settingsDecider.ts';
import type { SettingsEvent } from '../../domain/settings/settingsEvents.ts';
import { settingsStream } from '../../domain/settings/settingsStream.ts';
import type { EventStore } from '../../ports/eventStore.ts';

/**
 * The settings in force for a write, read from the event store itself (never from a read model,
 * which may lag another instance's change): the `settings` stream, folded once and then only its
 * new events, so a write costs one read of an (almost always empty) tail.
 */
export function settingsInForce(eventStore: EventStore) {
  let state: SettingsState = settingsDecider.initialState();
  let revision = -1;
  return async function setting<Key extends SettingKey>(key: Key): Promise<SettingValues[Key]> {
    const tail = await eventStore.readStream(settingsStream(), { fromRevision: revision + 1 });
    for (const recorded of tail) {
      // Two reads may overlap: a tail another one already folded is skipped.
      if (recorded.revision <= revision) continue;
      state = settingsDecider.evolve(state, { type: recorded.type, data: recorded.data } as SettingsEvent);
      revision = recorded.revision;
    }
    return settingValue(state, key);
  };
}
