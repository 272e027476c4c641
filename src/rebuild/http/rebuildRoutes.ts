import Router from '@koa/router';
import { NotFoundError } from '../../errors/appError.ts';
import { choiceField, parseBody } from '../../http/drf/serializerFields.ts';
import { commandContext } from '../../http/requestContext.ts';
import type { RebuildStatus } from '../domain/rebuildStatus.ts';
import type { RebuildJournal } from '../app/rebuildJournal.ts';

export const REBUILDS_PATH = '/api/v1/read_model_rebuilds';
const REBUILD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A rebuild as the API shows it: the request and each instance that took it up. */
export function representRebuild(status: RebuildStatus, publicBaseUrl: string) {
  return {
    id: status.rebuildId,
    url: `${publicBaseUrl}${REBUILDS_PATH}/${status.rebuildId}/`,
    projection: status.projection,
    requested_by: status.requestedBy,
    requested_date: status.requestedAt,
    instances: status.instances.map((instance) => ({
      instance: instance.instance,
      state: instance.state,
      events: instance.events,
      started_date: instance.startedAt,
      finished_date: instance.finishedAt,
      reason: instance.reason,
    })),
  };
}

/**
 * `/api/v1/read_model_rebuilds/`: asks every running instance to rebuild its read models beside the
 * served ones and switch when caught up (202; credentials required like every route under /api/;
 * the service has no roles, so any API user may). The request is an event every instance follows;
 * `GET <id>/` folds what each instance reported.
 */
export function rebuildRoutes(deps: { journal: RebuildJournal; projectionNames: readonly string[]; publicBaseUrl: string }): Router {
  const router = new Router({ prefix: REBUILDS_PATH });
  const status = async (id: string) => (REBUILD_ID.test(id) ? await deps.journal.status(id) : undefined) ?? Promise.reject(new NotFoundError());

  router.post('/', async (ctx) => {
    const body = parseBody(ctx.request.body ?? {}, { projection: choiceField(deps.projectionNames, { required: false, allowNull: true }) });
    const rebuildId = await deps.journal.request(body.projection ?? null, commandContext(ctx, 'rest'));
    const created = representRebuild(await status(rebuildId), deps.publicBaseUrl);
    ctx.status = 202;
    ctx.set('Location', created.url);
    ctx.body = created;
  });

  router.get('/:id', async (ctx) => {
    ctx.body = representRebuild(await status(ctx.params.id!), deps.publicBaseUrl);
  });

  return router;
}
