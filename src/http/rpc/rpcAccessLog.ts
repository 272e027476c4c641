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

/** The methods called, for the access line; undefined for a request that is no JSON-RPC call. */
export function rpcMethodsOf(state: object): string[] | undefined {
  const calls = (state as RpcState).rpcCalls;
  if (calls === undefined) return undefined;
  const methods: string[] = [];
  for (const call of calls) if (call.method !== undefined) methods.push(call.method);
  return methods.length > 0 ? methods : undefined;
}

/** Each call's fault code (null for a success), for the access line; undefined unless a call failed. */
export function rpcFaultsOf(state: object): Array<number | null> | undefined {
  const calls = (state as RpcState).rpcCalls;
  if (calls === undefined || calls.every((call) => call.fault === null)) return undefined;
  return calls.map((call) => call.fault);
}
