/**
 * A validator for HAR 1.2 files against har-schema (test/fixtures/har-schema/, its source in
 * test/fixtures/README.md). har-schema is draft-06 and uses two keywords of its own ("optional",
 * "min") that are no part of JSON Schema; ajv checks the rest. Formats are covered by the
 * schema's own patterns.
 */
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type AnySchemaObject, type ValidateFunction } from 'ajv';

const SCHEMA_DIR = fileURLToPath(new URL('../fixtures/har-schema/', import.meta.url));

export async function harValidator(): Promise<ValidateFunction> {
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
  ajv.addMetaSchema(createRequire(import.meta.url)('ajv/dist/refs/json-schema-draft-06.json') as AnySchemaObject);
  for (const file of (await readdir(SCHEMA_DIR)).filter((name) => name.endsWith('.json'))) {
    ajv.addSchema(JSON.parse(await readFile(join(SCHEMA_DIR, file), 'utf8')) as AnySchemaObject);
  }
  const validate = ajv.getSchema('har.json#');
  if (!validate) throw new Error(`har.json is missing from ${SCHEMA_DIR}`);
  return validate;
}
