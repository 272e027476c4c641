/** The `readModelRebuild` stream category and its payloads in the AsyncAPI document (/api/asyncapi.yaml). */
const string = { type: 'string' } as const;
const integer = { type: 'integer' } as const;
const object = (properties: Record<string, object>) => ({ type: 'object', required: Object.keys(properties), properties });

export const REBUILD_STREAM_ADDRESS = {
  address: 'readModelRebuild-{rebuildId}',
  description: 'One read-model rebuild (POST /api/v1/read_model_rebuilds/): the request, then what each running instance did with it (internal; kept 30 days).',
};

export const REBUILD_PAYLOAD_SCHEMAS = {
  ReadModelRebuildRequested: object({ rebuildId: string, projection: { type: ['string', 'null'] }, requestedBy: string }),
  ReadModelRebuildStarted: object({ rebuildId: string, instance: string }),
  ReadModelRebuildProgressed: object({ rebuildId: string, instance: string, events: integer }),
  ReadModelRebuildSwitched: object({ rebuildId: string, instance: string, events: integer, seconds: { type: 'number' } }),
  ReadModelRebuildFailed: object({ rebuildId: string, instance: string, reason: string }),
};
