import type { ServerErrorResponse } from '@grpc/grpc-js';

/**
 * The calls that stay open until someone ends them: subscriptions and BatchAppend streams.
 * Each entry ends its call with the given error; `stop()` uses it to fail them all with
 * UNAVAILABLE, as a node whose connections drop does, before it tears the server down.
 */
export type OpenCalls = Set<(error: ServerErrorResponse) => void>;
