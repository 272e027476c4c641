/**
 * A YAML writer for plain JSON data (objects, arrays, strings, numbers, booleans, null): block
 * style, every string double-quoted as JSON writes it (a JSON string is a valid YAML scalar), so
 * no escaping rule of YAML can be missed. Enough for documents the service serves; no parser.
 */
export function toYaml(value: unknown, indent = 0): string {
  return `${block(value, indent)}\n`;
}

const pad = (indent: number) => ' '.repeat(indent);

function scalar(value: unknown): string | undefined {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.length === 0) return '[]';
  if (typeof value === 'object' && Object.keys(value).length === 0) return '{}';
  return undefined;
}

function block(value: unknown, indent: number): string {
  const simple = scalar(value);
  if (simple !== undefined) return pad(indent) + simple;
  if (Array.isArray(value)) {
    return value
      .map((item) => {
        const inline = scalar(item);
        if (inline !== undefined) return `${pad(indent)}- ${inline}`;
        return `${pad(indent)}-\n${block(item, indent + 2)}`;
      })
      .join('\n');
  }
  return Object.entries(value as Record<string, unknown>)
    .map(([key, item]) => {
      const name = /^[A-Za-z_$][\w$.-]*$/.test(key) ? key : JSON.stringify(key);
      const inline = scalar(item);
      return inline !== undefined ? `${pad(indent)}${name}: ${inline}` : `${pad(indent)}${name}:\n${block(item, indent + 2)}`;
    })
    .join('\n');
}
