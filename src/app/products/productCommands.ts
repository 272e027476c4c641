import { productDecider, productPkTaken } from '../../domain/product/productDecider.ts';
import { productSkuStream, productStream } from '../../domain/product/productStreams.ts';
import { skuDecider } from '../../domain/product/skuDecider.ts';
import { AppError, ConcurrencyError } from '../../errors/appError.ts';
import type { EventMetadata } from '../../domain/eventMetadata.ts';
import type { EventStore, Position, RecordedEvent } from '../../ports/eventStore.ts';
import type { Clock } from '../clock.ts';
import type { HandleCommand, RequestContext } from '../commandHandler.ts';
import type { AllocatePk } from '../pkAllocator.ts';

export interface RegisterProductInput {
  pk?: number;
  sku: string;
  name: string;
  mediaEnabled: boolean;
}

export interface ProductWrite {
  productPk: number;
  /** Where the change landed; undefined when nothing changed. */
  position: Position | undefined;
  streamName: string;
  /** Revision of `product-<pk>` after the change. */
  revision: number;
}

/** How often a freshly allocated pk may turn out to be taken by an explicit one before giving up. */
const MAX_ALLOCATION_ATTEMPTS = 10;
const MAX_CLAIM_ATTEMPTS = 50;
/** A claim younger than this may belong to a registration still in flight: never take it over. */
const STALE_CLAIM_AFTER_MS = 60_000;

/**
 * Product commands. Registration spans two streams (no cross-stream transactions exist), so it
 * goes: claim the SKU in `productSku-<sku>`, then register `product-<pk>`; if the registration
 * fails the claim is released. A claim left behind by a crash between the two appends points at
 * a product that does not exist and is taken over by the next claimant.
 */
export function productCommands(deps: { eventStore: EventStore; handle: HandleCommand; allocatePk: AllocatePk; clock: Clock }) {
  const { eventStore, handle, allocatePk, clock } = deps;

  const productExists = async (productPk: number) =>
    (await eventStore.readStream(productStream(productPk), { maxCount: 1 })).length > 0;

  async function claimSku(sku: string, productPk: number, context: RequestContext) {
    // The claim's liveness is read outside the decider, so a conflict must re-read it too:
    // pin the revision read and loop, rather than let the handler retry with stale facts.
    for (let attempt = 0; ; attempt++) {
      const claims = await eventStore.readStream(productSkuStream(sku), { direction: 'backwards', maxCount: 1 });
      const last = claims[0];
      const claimInUse = last?.type === 'SkuClaimed' && (await claimStillCounts(last, productPk));
      try {
        await handle(
          productSkuStream(sku),
          skuDecider,
          { type: 'ClaimSku', data: { sku, productPk, claimInUse } },
          context,
          { expectedRevision: last?.revision ?? -1 },
        );
        return;
      } catch (error) {
        if (!(error instanceof ConcurrencyError) || attempt >= MAX_CLAIM_ATTEMPTS) throw error;
      }
    }
  }

  async function claimStillCounts(claim: RecordedEvent, productPk: number): Promise<boolean> {
    const holder = (claim.data as { productPk: number }).productPk;
    if (holder === productPk) return true;
    const claimedAt = Date.parse((claim.metadata as EventMetadata).occurredAt);
    if (Date.parse(clock()) - claimedAt < STALE_CLAIM_AFTER_MS) return true;
    return productExists(holder);
  }

  async function releaseSku(sku: string, productPk: number, context: RequestContext) {
    await handle(productSkuStream(sku), skuDecider, { type: 'ReleaseSku', data: { sku, productPk } }, context);
  }

  async function register(input: RegisterProductInput, context: RequestContext): Promise<ProductWrite> {
    for (let attempt = 1; ; attempt++) {
      const productPk = input.pk ?? (await allocatePk('product', context));
      if (input.pk !== undefined || !(await productExists(productPk))) {
        try {
          return await registerAs(productPk, input, context);
        } catch (error) {
          const pkTaken = error instanceof AppError && error.code === 'PRODUCT_PK_TAKEN';
          if (!pkTaken || input.pk !== undefined || attempt >= MAX_ALLOCATION_ATTEMPTS) throw error;
        }
      }
    }
  }

  async function registerAs(productPk: number, input: RegisterProductInput, context: RequestContext): Promise<ProductWrite> {
    // Fail before claiming the SKU, so a taken pk never leaves a claim to release.
    if (await productExists(productPk)) throw productPkTaken();
    await claimSku(input.sku, productPk, context);
    try {
      const result = await handle(
        productStream(productPk),
        productDecider,
        { type: 'RegisterProduct', data: { productPk, sku: input.sku, name: input.name, mediaEnabled: input.mediaEnabled } },
        context,
      );
      return { productPk, position: result.position, streamName: productStream(productPk), revision: result.revision };
    } catch (error) {
      await releaseSku(input.sku, productPk, context);
      throw error;
    }
  }

  async function change(
    productPk: number,
    changes: { name?: string; mediaEnabled?: boolean },
    context: RequestContext,
    expectedRevision?: number,
  ): Promise<ProductWrite> {
    const result = await handle(
      productStream(productPk),
      productDecider,
      { type: 'ChangeProductDetails', data: changes },
      context,
      expectedRevision === undefined ? {} : { expectedRevision },
    );
    return { productPk, position: result.position, streamName: productStream(productPk), revision: result.revision };
  }

  return { register, change };
}

export type ProductCommands = ReturnType<typeof productCommands>;
