import type { ShipStreamApi } from '../app/rpc/shipStreamApi.ts';
import { toJsonRpcError } from '../http/rpc/jsonRpcErrors.ts';
import type { Metrics } from './metrics.ts';
import type { Tracing } from './tracing.ts';

/**
 * The ShipStream API with every call counted by method, every fault by method and JSON-RPC code
 * (the code the client gets), and a span per call. Labels come only from the API's own names
 * (`login`, `endSession`, `product_media.<method>` for both `call` and the short form), any
 * other name a client sends counts as `unknown`: the number of series stays bounded.
 */
export function observedRpcApi(api: ShipStreamApi, metrics: Metrics | undefined, tracing: Tracing): ShipStreamApi {
  if (metrics === undefined && !tracing.enabled) return api;
  const labelOf = (method: string, params: unknown): string => {
    if (method === 'login' || method === 'endSession') return method;
    if (method !== 'call') return api.methodNameAt(method) ?? 'unknown';
    const path = Array.isArray(params) ? params[1] : (params as { resourcePath?: unknown } | null | undefined)?.resourcePath;
    return (typeof path === 'string' && api.methodNameAt(path)) || 'unknown';
  };
  return {
    ...api,
    dispatch(method, params, caller) {
      const label = labelOf(method, params);
      metrics?.rpcCalls.inc({ method: label });
      return tracing.inSpan(`rpc ${label}`, { 'rpc.system': 'jsonrpc', 'rpc.method': label }, async () => {
        try {
          return await api.dispatch(method, params, caller);
        } catch (error) {
          // The code only: the endpoint renders (and logs) the error itself.
          metrics?.rpcFaults.inc({ method: label, code: String(toJsonRpcError(error, undefined).code) });
          throw error;
        }
      });
    },
  };
}
