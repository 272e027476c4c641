/** The `/api/v1/read_model_rebuilds/` routes in OpenAPI 3.1 terms, merged into /api/schema/ (paths and schemas). */
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ 'application/json': { schema } });
const respond = (description: string, schema?: object) => ({ description, ...(schema ? { content: json(schema) } : {}) });
const ERRORS = {
  400: respond('Invalid input: `{"field": ["message"]}`.', ref('FieldErrors')),
  401: respond('Missing or invalid credentials.', ref('Detail')),
  404: respond('`{"detail": "Not found."}`', ref('Detail')),
};
const dateTime = { type: 'string', format: 'date-time' };

export const REBUILD_SCHEMAS = {
  ReadModelRebuild: {
    type: 'object',
    required: ['id', 'url', 'projection', 'requested_by', 'requested_date', 'instances'],
    properties: {
      id: { type: 'string', format: 'uuid' },
      url: { type: 'string', format: 'uri', description: 'Poll this for every instance\'s progress.' },
      projection: { type: ['string', 'null'], description: 'The one read model rebuilt from the events (the others are copied); `null`: all.' },
      requested_by: { type: 'string' },
      requested_date: dateTime,
      instances: {
        type: 'array',
        description: 'Every instance that took the request up (instances report through the event store, so any instance answers for all).',
        items: {
          type: 'object',
          required: ['instance', 'state', 'events', 'started_date', 'finished_date', 'reason'],
          properties: {
            instance: { type: 'string', description: 'Host name, process id and a random suffix.' },
            state: { enum: ['building', 'switched', 'failed'], description: '`switched`: serving from the new read models; `failed`: still serving from the old ones.' },
            events: { type: 'integer', description: 'Events applied to the new read models so far.' },
            started_date: dateTime,
            finished_date: { type: ['string', 'null'], format: 'date-time' },
            reason: { type: ['string', 'null'], description: 'Why it failed.' },
          },
        },
      },
    },
  },
  ReadModelRebuildInput: {
    type: 'object',
    properties: { projection: { enum: ['products', 'gallery', 'settings', 'rpcSessions', 'galleryFiles', null], description: 'One read model; all when absent or null.' } },
  },
};

export const REBUILD_PATHS = {
  '/api/v1/read_model_rebuilds/': {
    post: {
      summary: 'Rebuild the read models of every running instance, without downtime',
      description:
        'Each instance builds new read models from the events beside the ones it serves from, catches up with the live log, switches to them in one step ' +
        'and removes the old ones; until then every request is answered from the old ones. `catalog rebuild --url` calls this and polls `url`.',
      requestBody: { required: false, content: json(ref('ReadModelRebuildInput')) },
      responses: {
        202: { description: 'Accepted: every instance takes it up; poll `url` (also in `Location`).', headers: { Location: { schema: { type: 'string', format: 'uri' } } }, content: json(ref('ReadModelRebuild')) },
        ...ERRORS,
      },
    },
  },
  '/api/v1/read_model_rebuilds/{id}/': {
    parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
    get: { summary: 'A rebuild and each instance\'s progress', responses: { 200: respond('The rebuild.', ref('ReadModelRebuild')), ...ERRORS } },
  },
};
