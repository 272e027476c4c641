/**
 * What the access line says about a JSON-RPC request: the method of each call (for `call`, the
 * resource method it names, e.g. `product_media.list`) and each call's fault code (the JSON-RPC
 * error code, e.g. -32101; null for a call that succeeded). A problem answered before any call
 * was read (a body that does not parse, is too large, names no live session) has a fault and no
 * method. Method names are the client's text: each is cut to {@link MAX_METHOD_CHARS}, and a
 * batch holds at most `RPC_BATCH_MAX` calls, so a line stays bounded.
 */
export interface RpcCallRecord {
  method?: string;
  fault: number | null;
}

const MAX_METHOD_CHARS = 100;

interface RpcState {
  rpcCalls?: RpcCallRecord[];
}

/** The method a call runs: `call`'s resource method, or the method itself. */
export function calledMethod(method: string, params: unknown): string {
  const named = method === 'call' && Array.isArray(params) && typeof params[1] === 'string' ? params[1] : method;
  return named.length > MAX_METHOD_CHARS ? `${named.slice(0, MAX_METHOD_CHARS)}…` : named;
}

export function recordRpcCall(state: object, call: RpcCallRecord): void {
  const rpc = state as RpcState;
  (rpc.rpcCalls ??= []).push(call);
}

export function hasRpcCalls(state: object): boolean {
  return (state as RpcState).rpcCalls !== undefined;
}

/** `{rpcMethods, rpcFaults}` for the access line (`rpcFaults` only when a call failed); nothing for other requests. */
export function rpcLogFields(state: object): { rpcMethods?: string[]; rpcFaults?: Array<number | null> } {
  const calls = (state as RpcState).rpcCalls;
  if (calls === undefined) return {};
  const methods = calls.flatMap((call) => (call.method === undefined ? [] : [call.method]));
  const faulted = calls.some((call) => call.fault !== null);
  return { ...(methods.length > 0 ? { rpcMethods: methods } : {}), ...(faulted ? { rpcFaults: calls.map((call) => call.fault) } : {}) };
}
