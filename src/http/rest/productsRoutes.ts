import Router from '@koa/router';
import type { Context } from 'koa';
import { PRODUCTS_TABLE, productsProjection, type ProductView } from '../../../projections/products.ts';
import type { ProductCommands, ProductWrite } from '../../app/products/productCommands.ts';
import type { ProductFilter, ProductQueries } from '../../app/products/productQueries.ts';
import { NotFoundError, ValidationError } from '../../errors/appError.ts';
import type { ReadYourWrites } from '../../app/readYourWrites.ts';
import { FIRST_ITEM, parsePageRequest, resolvePage, toPage } from '../drf/pagination.ts';
import { booleanField, charField, integerField, parseBody, readOnlyField } from '../drf/serializerFields.ts';
import { isFormInput } from '../drf/formInput.ts';
import { readOnly, routeOptions, writable } from '../drf/optionsMetadata.ts';
import { commandContext } from '../requestContext.ts';
import { etagOf, ifMatchRevision, withIfMatch } from './ifMatch.ts';
import { queryParams } from '../drf/queryParams.ts';

export interface ProductsRoutesDeps {
  commands: ProductCommands;
  queries: ProductQueries;
  readYourWrites: ReadYourWrites;
  publicBaseUrl: string;
}

const MAX_PK = 2_147_483_647;
const createFields = {
  pk: integerField({ required: false, min: 1, max: MAX_PK }),
  sku: charField({ maxLength: 128 }),
  name: charField({ required: false, maxLength: 255, allowBlank: true, default: '' }),
  media_enabled: booleanField({ required: false, default: true }),
  created_date: readOnlyField,
  modified_date: readOnlyField,
};
const updateFields = {
  ...createFields,
  pk: readOnlyField,
  sku: readOnlyField,
};

/** The REST representation of a product. */
/** The serializer of a POST as OPTIONS describes it, in the representation's order. */
const createInfo = {
  pk: writable('pk', createFields.pk, 'ID'),
  sku: writable('sku', createFields.sku, 'SKU'),
  name: writable('name', createFields.name),
  media_enabled: writable('media_enabled', createFields.media_enabled),
  created_date: readOnly('created_date', 'datetime'),
  modified_date: readOnly('modified_date', 'datetime'),
};

export function representProduct(view: ProductView) {
  return {
    pk: view.pk,
    sku: view.sku,
    name: view.name,
    media_enabled: view.mediaEnabled,
    created_date: view.createdAt,
    modified_date: view.modifiedAt,
  };
}

/** `/api/v1/products/`: register, list, read and change products. */
export function productsRoutes(deps: ProductsRoutesDeps): Router {
  const router = new Router({ prefix: '/api/v1/products' });
  routeOptions(router, '/', { name: 'Product List', post: createInfo });
  routeOptions(router, '/:pk', { name: 'Product Instance' });

  const parsePk = (ctx: Context): number => {
    const text = ctx.params.pk ?? '';
    if (!/^\d{1,10}$/.test(text) || Number(text) > MAX_PK) throw new NotFoundError();
    return Number(text);
  };
  const load = (pk: number): ProductView => {
    const view = deps.queries.get(pk);
    if (!view) throw new NotFoundError();
    return view;
  };
  // Read-your-writes: answer once this instance's read models include the write; while they lag,
  // from the product's own stream up to the write (the write is durable: it must not fail here).
  const settle = async (write: ProductWrite): Promise<ProductView> => {
    if (await deps.readYourWrites.reached(write)) return load(write.productPk);
    const folded = await deps.readYourWrites.fold(productsProjection, write);
    const view = folded.get<ProductView>(PRODUCTS_TABLE, write.productPk);
    if (!view) throw new NotFoundError();
    return view;
  };
  const respondWith = (ctx: Context, view: ProductView, status = 200) => {
    ctx.status = status;
    ctx.set('ETag', etagOf(view.revision));
    ctx.body = representProduct(view);
  };

  router.get('/', (ctx) => {
    const query = queryParams(ctx.querystring);
    const filter = parseFilter(query);
    const page = resolvePage(parsePageRequest(query), () => deps.queries.list(filter, FIRST_ITEM).count);
    const { count, items } = deps.queries.list(filter, page);
    ctx.body = toPage(items.map(representProduct), count, page, new URL(ctx.url, deps.publicBaseUrl));
  });

  router.post('/', async (ctx) => {
    const input = parseBody(ctx.request.body, createFields, { form: isFormInput(ctx) });
    const write = await deps.commands.register(
      { ...(input.pk === undefined ? {} : { pk: input.pk }), sku: input.sku!, name: input.name!, mediaEnabled: input.media_enabled! },
      commandContext(ctx, 'rest'),
    );
    respondWith(ctx, await settle(write), 201);
  });

  router.get('/:pk', (ctx) => respondWith(ctx, load(parsePk(ctx))));

  router.patch('/:pk', async (ctx) => {
    const pk = parsePk(ctx);
    const current = load(pk);
    const input = parseBody(ctx.request.body, updateFields, { partial: true, form: isFormInput(ctx) });
    const changes = {
      ...(input.name === undefined ? {} : { name: input.name }),
      ...(input.media_enabled === undefined ? {} : { mediaEnabled: input.media_enabled }),
    };
    const expectedRevision = ifMatchRevision(ctx, current.revision);
    const write = await withIfMatch(() => deps.commands.change(pk, changes, commandContext(ctx, 'rest'), expectedRevision));
    respondWith(ctx, await settle(write));
  });

  return router;
}

function parseFilter(query: URLSearchParams): ProductFilter {
  const filter: ProductFilter = {};
  const sku = query.get('sku');
  if (sku !== null && sku !== '') filter.sku = sku;
  const search = query.get('search')?.trim();
  if (search !== undefined && search !== '') filter.search = search;
  const pkIn = query.get('pk__in');
  if (pkIn !== null && pkIn !== '') {
    const parts = pkIn.split(',').map((part) => part.trim());
    if (parts.some((part) => !/^\d{1,15}$/.test(part))) throw ValidationError.field('pk__in', 'Enter a whole number.');
    filter.pkIn = parts.map(Number);
  }
  return filter;
}
