import Router from '@koa/router';
import { settingsProjection } from '../../../projections/settings.ts';
import { settingsQueries, type SettingEntry, type SettingsQueries } from '../../app/media/settingsQueries.ts';
import type { ReadYourWrites } from '../../app/readYourWrites.ts';
import type { SettingCommands } from '../../app/settings/settingCommands.ts';
import { isSettingKey } from '../../domain/settings/settingDefinitions.ts';
import { NotFoundError, ValidationError } from '../../errors/appError.ts';
import { MESSAGES, charField, parseBody } from '../drf/serializerFields.ts';
import { commandContext } from '../requestContext.ts';
import { readOnly, routeOptions, writable } from '../drf/optionsMetadata.ts';

const createFields = { key: charField({ maxLength: 128 }), value: { required: true, parse: (value: unknown) => value } };
/** The serializer of a POST as OPTIONS describes it, in the representation's order. */
const createInfo = {
  key: writable('key', createFields.key),
  value: writable('value', createFields.value),
  modified_date: readOnly('modified_date', 'datetime'),
};

/** The REST representation of a dynamic setting. */
export function representSetting(entry: SettingEntry) {
  return { key: entry.key, value: entry.value, modified_date: entry.modifiedAt };
}

/**
 * `/api/v1/dynamic_settings/`: `POST {"key", "value"}` records a `SettingChanged`; GET lists
 * every known setting with the value in force (defaults included) or one by key.
 */
export function dynamicSettingsRoutes(deps: { commands: SettingCommands; queries: SettingsQueries; readYourWrites: ReadYourWrites }): Router {
  const router = new Router({ prefix: '/api/v1/dynamic_settings' });
  routeOptions(router, '/', { name: 'Dynamic Setting List', post: createInfo });
  routeOptions(router, '/:key', { name: 'Dynamic Setting Instance' });

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
    const { key } = parseBody(body, createFields);
    if (body?.value === undefined) throw ValidationError.field('value', MESSAGES.required);
    const write = await deps.commands.change(key!, body.value, commandContext(ctx, 'rest'));
    // Read-your-writes; while the read model lags, the settings as the stream says after the write.
    const settings = (await deps.readYourWrites.reached(write))
      ? deps.queries
      : settingsQueries(await deps.readYourWrites.fold(settingsProjection, write));
    ctx.status = 201;
    ctx.body = representSetting(settings.listSettings().find((entry) => entry.key === key)!);
  });

  return router;
}
