import type Router from '@koa/router';
import type { Context } from 'koa';
import type { RequestContext } from '../../app/commandHandler.ts';
import type { GalleryMoment } from '../../app/history/galleryAt.ts';
import type { GalleryWrite } from '../../app/media/galleryDecision.ts';
import type { ListResult, MediaFilter } from '../../app/media/galleryQueries.ts';
import type { AfterLast } from '../../domain/gallery/orderAfterLast.ts';
import { NotFoundError } from '../../errors/appError.ts';
import type { pageBodies } from '../drf/pageBodies.ts';
import { FIRST_ITEM, lastPage, parsePageRequest, resolvePage, type PageRequest } from '../drf/pagination.ts';
import { integerField } from '../drf/serializerFields.ts';
import { commandContext } from '../requestContext.ts';
import type { GalleryAnswer, GalleryWrites } from './galleryWrites.ts';
import { ifMatchRevision, preconditionFailed, withIfMatch } from './ifMatch.ts';
import { pathPk } from './pathPk.ts';
import { parseGalleryMoment, requireProductFilter } from './timeTravelQuery.ts';
import { queryParams } from '../drf/queryParams.ts';

export const MAX_ORDER = 2_147_483_647;
/** An upload without `order`: after the product's last image (or video), 0 for the first. */
export const AFTER_LAST: AfterLast = { afterLast: true, first: 0 };
/** What a PATCH of any gallery member may change. */
export const memberUpdateFields = { order: integerField({ min: 0, max: MAX_ORDER }) };

/** What images and videos both offer: a change of their fields (one decision), and deletion. */
export interface GalleryMemberCommands<Changes> {
  update(productPk: number, pk: number, changes: Changes, context: RequestContext, expectedRevision?: number): Promise<GalleryWrite>;
  delete(productPk: number, pk: number, context: RequestContext, expectedRevision?: number): Promise<GalleryWrite>;
}

/** How a gallery member is read: now, or (time travel) as it was at a moment. */
export interface GalleryMemberReads<View, Filter extends MediaFilter> {
  /** The list's filter from the query string (DRF 400s for bad values). */
  filter(query: URLSearchParams): Filter;
  list(filter: Filter, page: PageRequest): ListResult<View>;
  pastList(filter: Filter, moment: GalleryMoment, page: PageRequest): Promise<ListResult<View>>;
  /** The member by pk, now; `includeDeleted` to find one that may have been live at a past moment. */
  find(pk: number, options?: { includeDeleted?: boolean }): View | undefined;
  past(productPk: number, pk: number, moment: GalleryMoment): Promise<View | undefined>;
  represent(view: View): unknown;
  /** The detail answer now (with its ETag). */
  respond(ctx: Context, view: View): void;
  sendPage: ReturnType<typeof pageBodies>;
}

/**
 * `GET /` and `GET <pk>/` for a member of a gallery, identical for images and videos: the
 * gallery now, or with `?as_of=` / `?at_revision=` as it was (from the product's own stream).
 */
export function routeListAndDetail<View extends { pk: number; productPk: number }, Filter extends MediaFilter>(
  router: Router,
  reads: GalleryMemberReads<View, Filter>,
): void {
  const { sendPage, represent } = reads;

  // Not `async`: the usual request (the gallery now) is answered without a promise of its own.
  router.get('/', (ctx) => {
    const query = queryParams(ctx.querystring);
    const requested = parsePageRequest(query);
    const filter = reads.filter(query);
    const moment = parseGalleryMoment(query);
    if (moment === undefined) {
      const page = resolvePage(requested, () => reads.list(filter, FIRST_ITEM).count);
      return sendPage(ctx, reads.list(filter, page), page, represent);
    }
    requireProductFilter(filter);
    return (async () => {
      if (!requested.last) return sendPage(ctx, await reads.pastList(filter, moment, requested), requested, represent);
      // page=last: the past gallery is folded once, then paged here.
      const all = await reads.pastList(filter, moment, { page: 1, offset: 0, limit: Number.MAX_SAFE_INTEGER });
      const page = lastPage(requested, all.count);
      sendPage(ctx, { count: all.count, items: all.items.slice(page.offset, page.offset + page.limit) }, page, represent);
    })();
  });

  router.get('/:pk', async (ctx) => {
    const moment = ctx.querystring === '' ? undefined : parseGalleryMoment(queryParams(ctx.querystring));
    if (moment === undefined) {
      const view = reads.find(pathPk(ctx));
      if (!view) throw new NotFoundError();
      return reads.respond(ctx, view);
    }
    // The member as it was: found among deleted ones too, since it may have been live then.
    const known = reads.find(pathPk(ctx), { includeDeleted: true });
    const view = known && (await reads.past(known.productPk, known.pk, moment));
    if (!view) throw new NotFoundError();
    ctx.body = represent(view);
  });
}

/**
 * `PATCH <pk>/` and `DELETE <pk>/` for a member of a gallery, the same for images and videos:
 * the fields given change in one decision, If-Match pins the gallery revision, and the answer
 * waits for the read model (or, while it lags, comes from the product's stream).
 */
export function routeUpdateAndDelete<View extends { pk: number; productPk: number }, Changes extends object>(
  router: Router,
  member: {
    load(ctx: Context): View;
    /** The detail answer of member `pk` as `answer` has it (404 when it is not live there). */
    respondAfter(ctx: Context, answer: GalleryAnswer, pk: number): void;
    /** The PATCH body's changes (DRF 400s for bad values); only the fields present. */
    parseChanges(body: unknown): Changes;
    commands: GalleryMemberCommands<Changes>;
    writes: GalleryWrites;
  },
): void {
  router.patch('/:pk', async (ctx) => {
    const view = member.load(ctx);
    const changes = member.parseChanges(ctx.request.body);
    const current = member.writes.revisionOf(view.productPk);
    const expected = ifMatchRevision(ctx, current);
    let answer = member.writes.current;
    if (Object.values(changes).some((value) => value !== undefined)) {
      const write = await withIfMatch(() => member.commands.update(view.productPk, view.pk, changes, commandContext(ctx, 'rest'), expected));
      answer = await member.writes.settle(write);
    } else if (expected !== undefined && expected !== current) {
      // Nothing to write, yet the If-Match must still hold (RFC 9110 §13.1.1). A write checks the
      // stream's own revision; with none there is only the read model, which can trail the stream
      // by another instance's writes.
      throw preconditionFailed();
    }
    member.respondAfter(ctx, answer, view.pk);
  });

  router.delete('/:pk', async (ctx) => {
    const view = member.load(ctx);
    const expected = ifMatchRevision(ctx, member.writes.revisionOf(view.productPk));
    const write = await withIfMatch(() => member.commands.delete(view.productPk, view.pk, commandContext(ctx, 'rest'), expected));
    await member.writes.settle(write);
    ctx.status = 204;
  });
}
