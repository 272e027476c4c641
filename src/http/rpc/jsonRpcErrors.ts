import { FAULT_MESSAGES, ShipStreamFault } from '../../app/rpc/shipStreamFaults.ts';
import { isAppError } from '../../errors/appError.ts';
import type { Logger } from '../../logging/logger.ts';
import { METHOD_NOT_FOUND, type JsonRpcError } from './jsonRpcEnvelope.ts';

const INTERNAL_FAULT = 1;

/**
 * The JSON-RPC surface's one error rendering: a ShipStream fault is `-(32000 + fault)` with its
 * message; JSON-RPC's own method and params errors keep their standard codes; anything else is
 * fault 1 with OpenMage's generic text, and the log gets the cause. Nothing escapes as HTTP 500.
 */
export function toJsonRpcError(error: unknown, logger: Logger | undefined): JsonRpcError {
  if (error instanceof ShipStreamFault && error.fault !== INTERNAL_FAULT) return { code: -(32000 + error.fault), message: error.message };
  if (isAppError(error) && error.code === 'METHOD_NOT_FOUND') return METHOD_NOT_FOUND;
  if (isAppError(error) && error.code === 'INVALID_PARAMS') return { code: -32602, message: error.message };
  logger?.error('rpc call failed', { error: describe(error) });
  return { code: -(32000 + INTERNAL_FAULT), message: FAULT_MESSAGES[INTERNAL_FAULT] };
}

function describe(error: unknown): unknown {
  if (!(error instanceof Error)) return String(error);
  return { name: error.name, message: error.message, stack: error.stack, cause: error.cause === undefined ? undefined : describe(error.cause) };
}
