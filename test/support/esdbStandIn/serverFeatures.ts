import type { sendUnaryData, ServerUnaryCall, UntypedServiceImplementation } from '@grpc/grpc-js';
import { serverFeaturesPb, sharedPb } from './generated.ts';
import { counted, type RpcCounts } from './rpcCounts.ts';

type SupportedMethods = InstanceType<typeof serverFeaturesPb.SupportedMethods>;
type Empty = InstanceType<typeof sharedPb.Empty>;

/** The server version the stand-in claims: one that sends `caughtUp` to subscriptions. */
export const STAND_IN_SERVER_VERSION = '24.10.0';

const STREAMS_SERVICE = 'event_store.client.streams.streams';
const SERVER_FEATURES_SERVICE = 'event_store.client.server_features.serverfeatures';

/** Methods and features as ESDB lists them: lower-case full names, Read with `position`/`events`. */
const SUPPORTED: Array<[service: string, method: string, features: string[]]> = [
  [STREAMS_SERVICE, 'read', ['position', 'events']],
  [STREAMS_SERVICE, 'append', []],
  [STREAMS_SERVICE, 'delete', []],
  [STREAMS_SERVICE, 'tombstone', []],
  [STREAMS_SERVICE, 'batchappend', ['deadline_duration']],
  [SERVER_FEATURES_SERVICE, 'getsupportedmethods', []],
];

/**
 * ServerFeatures/GetSupportedMethods. The client calls it before its first append and uses
 * BatchAppend only when `/event_store.client.streams.streams/batchappend` is listed.
 */
export function serverFeaturesService(counts: RpcCounts): UntypedServiceImplementation {
  return { getSupportedMethods: counted(counts, 'getSupportedMethods', getSupportedMethods) };
}

function getSupportedMethods(_call: ServerUnaryCall<Empty, SupportedMethods>, callback: sendUnaryData<SupportedMethods>): void {
  const supported = new serverFeaturesPb.SupportedMethods().setEventStoreServerVersion(STAND_IN_SERVER_VERSION);
  for (const [service, method, features] of SUPPORTED) {
    const supportedMethod = new serverFeaturesPb.SupportedMethod().setServiceName(service).setMethodName(method);
    supported.addMethods(supportedMethod.setFeaturesList(features));
  }
  callback(null, supported);
}
