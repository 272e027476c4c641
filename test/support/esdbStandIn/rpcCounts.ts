/** How many calls of each RPC the stand-in received (a BatchAppend stream counts once). */
export interface RpcCounts {
  read: number;
  append: number;
  batchAppend: number;
  delete: number;
  tombstone: number;
  getSupportedMethods: number;
}

export function emptyRpcCounts(): RpcCounts {
  return { read: 0, append: 0, batchAppend: 0, delete: 0, tombstone: 0, getSupportedMethods: 0 };
}

/** Wraps a gRPC handler so that each call of it is counted under `rpc`. */
export function counted<Args extends unknown[]>(counts: RpcCounts, rpc: keyof RpcCounts, handler: (...args: Args) => void) {
  return (...args: Args): void => {
    counts[rpc] += 1;
    handler(...args);
  };
}
