import Router from '@koa/router';
import type { SettingEntry, SettingsQueries } from '../../app/media/settingsQueries.ts';
import type { SettingCommands } from '../../app/settings/settingCommands.ts';
import { isSettingKey } from '../../domain/settings/settingDefinitions.ts';
import { NotFoundError, ValidationError } from '../../errors/appError.ts';
import type { Projections } from '../../projections/projections.ts';
import { MESSAGES, charField, parseBody } from '../drf/serializerFields.ts';
import { commandContext } from '../requestContext.ts';

/** The REST representation of a dynamic setting. */
export function representSetting(entry: SettingEntry) {
  return { key: entry.key, value: entry.value, modified_date: entry.modifiedAt };
}

/**
 * `/api/v1/dynamic_settings/`: `POST {"key", "value"}` records a `SettingChanged`; GET lists
 * every known setting with the value in force (defaults included) or one by key.
 */
export function dynamicSettingsRoutes(deps: { commands: SettingCommands; queries: SettingsQueries; projections: Projections }): Router {
  const router = new Router({ prefix: '/api/v1/dynamic_settings' });

  router.get('/', (ctx) => {
    const results = deps.queries.listSettings().map(representSetting);
    ctx.body = { count: results.length, next: null, previous: null, results };
  });

  router.get('/:key', (ctx) => {
    const key = ctx.params.key ?? '';
    if (!isSettingKey(key)) throw new NotFoundError();
    ctx.body = representSetting(deps.queries.listSettings().find((entry) => entry.key === key)!);
  });

  router.post('/', async (ctx) => {
    const body = ctx.request.body as Record<string, unknown> | undefined;
    const { key } = parseBody(body, { key: charField({ maxLength: 128 }), value: { required: true, parse: (value: unknown) => value } }, { ignoreUnknown: true });
    if (body?.value === undefined) throw ValidationError.field('value', MESSAGES.required);
    const write = await deps.commands.change(key!, body.value, commandContext(ctx, 'rest'));
    if (write.position !== undefined) await deps.projections.waitFor(write.position, write.streamName);
    ctx.status = 201;
    ctx.body = representSetting(deps.queries.listSettings().find((entry) => entry.key === key)!);
  });

  return router;
}
