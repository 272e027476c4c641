import type { Command, Decider } from '../decider.ts';
import { DomainRuleError } from '../../errors/appError.ts';
import type { SkuEvent } from './productEvents.ts';

export type SkuState = { status: 'free' } | { status: 'claimed'; sku: string; productPk: number };

/**
 * Reserve a SKU for a product. `claimInUse` tells whether the current claim still counts: its
 * product is registered, or its registration may still be under way (the claim is recent). A
 * claim whose product never got registered (a crash between the two appends) is stale and may
 * be taken over.
 */
export type ClaimSku = Command<'ClaimSku', { sku: string; productPk: number; claimInUse: boolean }>;
/** Give up a claim, e.g. when registering its product failed. */
export type ReleaseSku = Command<'ReleaseSku', { sku: string; productPk: number }>;

export type SkuCommand = ClaimSku | ReleaseSku;

export const SKU_TAKEN_MESSAGE = 'product with this sku already exists.';

function decide(command: SkuCommand, state: SkuState): SkuEvent[] {
  switch (command.type) {
    case 'ClaimSku': {
      const { sku, productPk, claimInUse } = command.data;
      if (state.status === 'free') return [{ type: 'SkuClaimed', data: { sku, productPk } }];
      if (state.productPk === productPk) return [];
      if (claimInUse) {
        throw new DomainRuleError('SKU_TAKEN', SKU_TAKEN_MESSAGE, { sku: [SKU_TAKEN_MESSAGE] });
      }
      return [
        { type: 'SkuReleased', data: { sku, productPk: state.productPk } },
        { type: 'SkuClaimed', data: { sku, productPk } },
      ];
    }
    case 'ReleaseSku': {
      const { sku, productPk } = command.data;
      if (state.status === 'claimed' && state.productPk === productPk) {
        return [{ type: 'SkuReleased', data: { sku, productPk } }];
      }
      return [];
    }
    default: {
      const unknown: never = command;
      throw new Error(`Unknown sku command ${JSON.stringify(unknown)}`);
    }
  }
}

function evolve(_state: SkuState, event: SkuEvent): SkuState {
  switch (event.type) {
    case 'SkuClaimed':
      return { status: 'claimed', ...event.data };
    case 'SkuReleased':
      return { status: 'free' };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

/** The SKU uniqueness guard (stream `productSku-<sku>`). */
export const skuDecider: Decider<SkuState, SkuCommand, SkuEvent> = {
  initialState: () => ({ status: 'free' }),
  evolve,
  decide,
};
