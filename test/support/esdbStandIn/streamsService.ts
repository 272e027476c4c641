import type { UntypedServiceImplementation } from '@grpc/grpc-js';
import { appendHandler, batchAppendHandler } from './appendHandlers.ts';
import { deleteHandler, tombstoneHandler } from './deleteHandlers.ts';
import type { EventLog } from './eventLog.ts';
import type { OpenCalls } from './openCalls.ts';
import { readHandler } from './readHandlers.ts';
import { counted, type RpcCounts } from './rpcCounts.ts';

/**
 * The Streams service implementation. Without `batchAppend` the method is left out, so grpc-js
 * answers UNIMPLEMENTED as a server older than 21.10 would.
 */
export function streamsService(
  log: EventLog,
  openCalls: OpenCalls,
  counts: RpcCounts,
  options: { batchAppend: boolean },
): UntypedServiceImplementation {
  return {
    read: counted(counts, 'read', readHandler(log, openCalls)),
    append: counted(counts, 'append', appendHandler(log)),
    delete: counted(counts, 'delete', deleteHandler(log)),
    tombstone: counted(counts, 'tombstone', tombstoneHandler(log)),
    ...(options.batchAppend ? { batchAppend: counted(counts, 'batchAppend', batchAppendHandler(log, openCalls)) } : {}),
  };
}
