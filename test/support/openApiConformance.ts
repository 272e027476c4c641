import { Ajv2020 } from 'ajv/dist/2020.js';
import * as assert from 'uvu/assert';

type Operation = { responses: Record<string, { content?: Record<string, { schema: object }> }>; requestBody?: { content: Record<string, { schema: object }> } };
export interface OpenApi {
  components: { schemas: Record<string, object> };
  paths: Record<string, Record<string, Operation>>;
}

/**
 * Checks answers against the document as Prism's proxy mode does: the response documented for
 * the operation and status must exist, and the body must match its JSON schema.
 */
export function conformance(document: OpenApi) {
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  const validate = (schema: object, value: unknown, what: string) => {
    const check = ajv.compile({ ...schema, components: document.components });
    assert.ok(check(value), `${what}: ${JSON.stringify(check.errors)} in ${JSON.stringify(value)}`);
  };
  const operation = (method: string, path: string): Operation => {
    const found = document.paths[path]?.[method.toLowerCase()];
    assert.ok(found, `${method} ${path} is documented`);
    return found!;
  };
  return {
    /** The documented response of `status` for `method path`, and the body against its schema. */
    response(method: string, path: string, response: { status: number; body: unknown }): void {
      const documented = operation(method, path).responses[String(response.status)];
      assert.ok(documented, `${method} ${path} documents ${response.status} (${JSON.stringify(response.body)})`);
      const schema = documented!.content?.['application/json']?.schema;
      if (schema !== undefined) validate(schema, response.body, `${method} ${path} ${response.status}`);
    },
    /** A request body against the documented one. */
    requestBody(method: string, path: string, body: unknown): void {
      const schema = operation(method, path).requestBody?.content['application/json']?.schema;
      assert.ok(schema, `${method} ${path} documents a JSON body`);
      validate(schema!, body, `${method} ${path} request`);
    },
  };
}
