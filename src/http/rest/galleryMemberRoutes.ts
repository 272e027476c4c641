import type Router from '@koa/router';
import type { Context } from 'koa';
import type { RequestContext } from '../../app/commandHandler.ts';
import type { GalleryWrite } from '../../app/media/galleryDecision.ts';
import { integerField, parseBody } from '../drf/serializerFields.ts';
import { commandContext } from '../requestContext.ts';
import type { GalleryWrites } from './galleryWrites.ts';
import { ifMatchRevision, withIfMatch } from './ifMatch.ts';

export const MAX_ORDER = 2_147_483_647;
const updateFields = { order: integerField({ min: 0, max: MAX_ORDER }) };

/** What images and videos both offer: a new order, and deletion. */
export interface GalleryMemberCommands {
  reorder(productPk: number, pk: number, order: number, context: RequestContext, expectedRevision?: number): Promise<GalleryWrite>;
  delete(productPk: number, pk: number, context: RequestContext, expectedRevision?: number): Promise<GalleryWrite>;
}

/**
 * `PATCH <pk>/` (order) and `DELETE <pk>/` for a member of a gallery, identical for images and
 * videos: If-Match pins the gallery revision, and the answer waits for the read model.
 */
export function routeReorderAndDelete<View extends { pk: number; productPk: number }>(
  router: Router,
  member: {
    load(ctx: Context): View;
    find(pk: number): View;
    respond(ctx: Context, view: View): void;
    commands: GalleryMemberCommands;
    writes: GalleryWrites;
  },
): void {
  router.patch('/:pk', async (ctx) => {
    const view = member.load(ctx);
    const { order } = parseBody(ctx.request.body ?? {}, updateFields, { partial: true, ignoreUnknown: true });
    const expected = ifMatchRevision(ctx);
    if (order !== undefined) {
      const write = await withIfMatch(() => member.commands.reorder(view.productPk, view.pk, order, commandContext(ctx, 'rest'), expected));
      await member.writes.settle(write);
    }
    member.respond(ctx, member.find(view.pk));
  });

  router.delete('/:pk', async (ctx) => {
    const view = member.load(ctx);
    const expected = ifMatchRevision(ctx);
    const write = await withIfMatch(() => member.commands.delete(view.productPk, view.pk, commandContext(ctx, 'rest'), expected));
    await member.writes.settle(write);
    ctx.status = 204;
  });
}
