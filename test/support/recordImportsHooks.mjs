import { appendFileSync } from 'node:fs';

const file = process.env.RECORD_IMPORTS_FILE;
const match = process.env.RECORD_IMPORTS_MATCH;

export async function resolve(specifier, context, next) {
  if (file && match && specifier.includes(match)) appendFileSync(file, `${specifier}\n`);
  return next(specifier, context);
}
