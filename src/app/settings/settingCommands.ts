import { settingsDecider } from '../../domain/settings/settingsDecider.ts';
import { settingsStream } from '../../domain/settings/settingsStream.ts';
import type { Position } from '../../ports/eventStore.ts';
import type { HandleCommand, RequestContext } from '../commandHandler.ts';

/** Dynamic settings (`settings` stream): validated by the settings decider, recorded as `SettingChanged`. */
export function settingCommands(deps: { handle: HandleCommand }) {
  return {
    async change(key: string, value: unknown, context: RequestContext): Promise<{ streamName: string; position: Position | undefined; revision: number }> {
      const streamName = settingsStream();
      const result = await deps.handle(streamName, settingsDecider, { type: 'ChangeSetting', data: { key, value } }, context);
      return { streamName, position: result.position, revision: result.revision };
    },
  };
}

export type SettingCommands = ReturnType<typeof settingCommands>;
