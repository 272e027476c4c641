/**
 * The protobuf classes and gRPC service definitions that `@eventstore/db-client` ships in its
 * `generated/` folder. They are CommonJS modules whose exports Node cannot detect statically, so
 * they are imported as default (the whole `module.exports`). The stand-in must use these very
 * module instances: the generated serializers check `instanceof` against them.
 */
import codePb from '@eventstore/db-client/generated/code_pb.js';
import serverFeaturesGrpc from '@eventstore/db-client/generated/serverfeatures_grpc_pb.js';
import serverFeaturesPb from '@eventstore/db-client/generated/serverfeatures_pb.js';
import sharedPb from '@eventstore/db-client/generated/shared_pb.js';
import statusPb from '@eventstore/db-client/generated/status_pb.js';
import streamsGrpc from '@eventstore/db-client/generated/streams_grpc_pb.js';
import streamsPb from '@eventstore/db-client/generated/streams_pb.js';
import anyPb from 'google-protobuf/google/protobuf/any_pb.js';
import emptyPb from 'google-protobuf/google/protobuf/empty_pb.js';

export { codePb, serverFeaturesGrpc, serverFeaturesPb, sharedPb, statusPb, streamsGrpc, streamsPb };

/** `google.protobuf.Any`, used to pack error details into a `google.rpc.Status`. */
export const ProtoAny = anyPb.Any;
/** `google.protobuf.Empty` (BatchAppend uses it where the other RPCs use `event_store.client.Empty`). */
export const GoogleEmpty = emptyPb.Empty;
