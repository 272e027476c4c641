import { Server, ServerCredentials } from '@grpc/grpc-js';
import { EventLog } from './eventLog.ts';
import { serverFeaturesGrpc, streamsGrpc } from './generated.ts';
import { serverUnavailable } from './grpcErrors.ts';
import type { OpenCalls } from './openCalls.ts';
import { emptyRpcCounts, type RpcCounts } from './rpcCounts.ts';
import { serverFeaturesService } from './serverFeatures.ts';
import { streamsService } from './streamsService.ts';

export interface EsdbStandInOptions {
  /** Port on 127.0.0.1; omitted or 0 picks a free one. */
  port?: number;
  /**
   * Serve and advertise Streams/BatchAppend (default `true`, like ESDB ≥ 21.10). With `false`,
   * ServerFeatures and BatchAppend answer UNIMPLEMENTED and the client falls back to unary Append.
   */
  batchAppend?: boolean;
  /** Write a few `$`-typed events to `$`-streams first, as a fresh ESDB node has (default `true`). */
  seedSystemEvents?: boolean;
}

export interface EsdbStandIn {
  readonly port: number;
  /** `esdb://127.0.0.1:<port>?tls=false` (single node, no gossip). */
  readonly connectionString: string;
  /**
   * Goes down like a crashed node: open streams (subscriptions, BatchAppend) fail with UNAVAILABLE,
   * then every connection drops (other in-flight calls read CANCELLED). The data stays for {@link restart}.
   */
  stop(): Promise<void>;
  /** Stops (if running) and serves the same data again on the same port. */
  restart(): Promise<void>;
  /** Forgets every event (the seed events come back); positions keep growing. */
  reset(): void;
  /** Calls received per RPC since start (e.g. to see whether the client used BatchAppend). */
  readonly calls: Readonly<RpcCounts>;
  /** Subscriptions and BatchAppend streams currently open (0 once clients unsubscribed). */
  readonly openStreams: number;
  /** Delays the live deliveries of subscriptions opened from now on by `ms` (0: none). */
  delayLiveDeliveries(ms: number): void;
}

const BIND_ATTEMPTS = 50;
const BIND_RETRY_MS = 20;
const STATUS_FLUSH_MS = 25;

/**
 * Starts an in-process gRPC server that speaks the EventStoreDB Streams API subset that
 * `@eventstore/db-client` 6.2.1 uses, on the client's own generated service definitions.
 * A test fixture: the data lives in memory in the returned object.
 *
 * Served: ServerFeatures, Append, BatchAppend, Read (streams, `$all`, subscriptions with
 * filters and checkpoints), Delete, Tombstone, and stream metadata (`$maxAge` and `$tb` written to
 * `$$<stream>`, applied to stream reads). Not served: link resolution (`resolveLinkTos` is
 * ignored), persistent subscriptions, projections (so no `$ce-` streams), users, gossip,
 * operations, TLS and credentials, size limits, `fellBehind`. Idempotency of `any` appends never
 * forgets an id (ESDB's cache is bounded), and responses are buffered without backpressure.
 *
 * @example
 * const esdb = await startEsdbStandIn();
 * const client = EventStoreDBClient.connectionString(esdb.connectionString);
 * try { ... } finally { await client.dispose(); await esdb.stop(); }
 */
export async function startEsdbStandIn(options: EsdbStandInOptions = {}): Promise<EsdbStandIn> {
  const log = new EventLog({ seedSystemEvents: options.seedSystemEvents ?? true });
  const openCalls: OpenCalls = new Set();
  const calls = emptyRpcCounts();
  const batchAppend = options.batchAppend ?? true;
  let server: Server | undefined;

  const serve = async (port: number): Promise<number> => {
    const candidate = new Server();
    candidate.addService(streamsGrpc.StreamsService, streamsService(log, openCalls, calls, { batchAppend }));
    if (batchAppend) candidate.addService(serverFeaturesGrpc.ServerFeaturesService, serverFeaturesService(calls));
    const bound = await bind(candidate, port);
    server = candidate;
    return bound;
  };

  const stop = async (): Promise<void> => {
    const running = server;
    if (!running) return;
    server = undefined;
    // Open streams fail with UNAVAILABLE, as when a node's connections drop; the pause lets those
    // statuses reach the wire before the sessions are destroyed (which alone reads as CANCELLED).
    const dropped = [...openCalls];
    for (const drop of dropped) drop(serverUnavailable());
    if (dropped.length > 0) await new Promise((resolve) => setTimeout(resolve, STATUS_FLUSH_MS));
    running.forceShutdown();
  };

  const port = await serve(options.port ?? 0);
  return {
    port,
    connectionString: `esdb://127.0.0.1:${port}?tls=false`,
    stop,
    async restart() {
      await stop();
      await serve(port);
    },
    reset() {
      log.reset();
    },
    calls,
    get openStreams() {
      return openCalls.size;
    },
    delayLiveDeliveries(ms) {
      log.liveDelayMs = ms;
    },
  };
}

/** Binds, retrying while a port just released by {@link EsdbStandIn.stop} is still in use. */
async function bind(server: Server, port: number): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await new Promise<number>((resolve, reject) => {
        server.bindAsync(`127.0.0.1:${port}`, ServerCredentials.createInsecure(), (error, bound) =>
          error ? reject(error) : resolve(bound),
        );
      });
    } catch (error) {
      if (port === 0 || attempt >= BIND_ATTEMPTS || !/EADDRINUSE|address already in use/i.test(String(error))) throw error;
      await new Promise((resolve) => setTimeout(resolve, BIND_RETRY_MS));
    }
  }
}
