import { UnavailableError, type AppError } from '../../errors/appError.ts';

/**
 * Whether the server answered lately: the outcome of the latest append, read or subscription
 * message. False until the first answer, false after an {@link UnavailableError}, true again after
 * the next answer (a refusal such as a conflict is an answer too). Costs no call of its own.
 */
export interface ConnectionHealth {
  isConnected(): boolean;
  answered(): void;
  failed(error: AppError): void;
}

export function createConnectionHealth(): ConnectionHealth {
  let connected = false;
  return {
    isConnected: () => connected,
    answered() {
      connected = true;
    },
    failed(error) {
      if (error instanceof UnavailableError) connected = false;
      else connected = true;
    },
  };
}
