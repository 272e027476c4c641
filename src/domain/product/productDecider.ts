import type { Command, Decider } from '../decider.ts';
import { DomainRuleError, NotFoundError } from '../../errors/appError.ts';
import type { ProductEvent } from './productEvents.ts';

export type ProductState =
  | { status: 'absent' }
  | { status: 'registered'; productPk: number; sku: string; name: string; mediaEnabled: boolean };

export type RegisterProduct = Command<
  'RegisterProduct',
  { productPk: number; sku: string; name: string; mediaEnabled: boolean }
>;
/** Changes only the fields given. */
export type ChangeProductDetails = Command<'ChangeProductDetails', { name?: string; mediaEnabled?: boolean }>;

export type ProductCommand = RegisterProduct | ChangeProductDetails;

export const PRODUCT_PK_TAKEN_MESSAGE = 'product with this pk already exists.';

/** The error for a pk that already names a product. */
export const productPkTaken = () =>
  new DomainRuleError('PRODUCT_PK_TAKEN', PRODUCT_PK_TAKEN_MESSAGE, { pk: [PRODUCT_PK_TAKEN_MESSAGE] });

function decide(command: ProductCommand, state: ProductState): ProductEvent[] {
  switch (command.type) {
    case 'RegisterProduct': {
      if (state.status === 'registered') throw productPkTaken();
      return [{ type: 'ProductRegistered', data: { ...command.data } }];
    }
    case 'ChangeProductDetails': {
      if (state.status === 'absent') throw new NotFoundError();
      const { name, mediaEnabled } = command.data;
      const events: ProductEvent[] = [];
      // Unchanged values emit nothing, so a repeated PATCH leaves no noise in the history.
      if (name !== undefined && name !== state.name) {
        events.push({ type: 'ProductRenamed', data: { productPk: state.productPk, name, previousName: state.name } });
      }
      if (mediaEnabled !== undefined && mediaEnabled !== state.mediaEnabled) {
        const type = mediaEnabled ? 'ProductMediaEnabled' : 'ProductMediaDisabled';
        events.push({ type, data: { productPk: state.productPk } });
      }
      return events;
    }
    default: {
      const unknown: never = command;
      throw new Error(`Unknown product command ${JSON.stringify(unknown)}`);
    }
  }
}

function evolve(state: ProductState, event: ProductEvent): ProductState {
  switch (event.type) {
    case 'ProductRegistered':
      return { status: 'registered', ...event.data };
    case 'ProductRenamed':
      return state.status === 'registered' ? { ...state, name: event.data.name } : state;
    case 'ProductMediaEnabled':
      return state.status === 'registered' ? { ...state, mediaEnabled: true } : state;
    case 'ProductMediaDisabled':
      return state.status === 'registered' ? { ...state, mediaEnabled: false } : state;
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

/** The product registry aggregate (stream `product-<pk>`). */
export const productDecider: Decider<ProductState, ProductCommand, ProductEvent> = {
  initialState: () => ({ status: 'absent' }),
  evolve,
  decide,
};
