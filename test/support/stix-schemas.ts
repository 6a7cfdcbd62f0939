import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/**
 * The official OASIS STIX 2.1 JSON schemas from ../shared (the repository's sibling folder:
 * /work/main/test → /work/shared), for the e2e tests that validate what the hub serves. A
 * user's clone has no ../shared: the checks are skipped there, and say so once.
 */
export const SHARED = path.resolve(__dirname, '../../../shared/stix2-json-schemas');
const SCHEMA_DIR = path.join(SHARED, 'schemas');
export const HAVE_SCHEMAS = fs.existsSync(SCHEMA_DIR);

/** `it`, or `it.skip` with a warning naming the file when the schemas are absent. */
export function itIfSchemas(file: string): jest.It {
  if (HAVE_SCHEMAS) return it;
  console.warn(
    `${file}: OASIS schema checks skipped: ../shared/stix2-json-schemas is absent (${SHARED})`,
  );
  return it.skip;
}

let ajv: Ajv2020 | undefined;
const idOf = new Map<string, string>();

function schemaFiles(dir: string, prefix = ''): [string, { $id: string }][] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((file) => {
    const relative = prefix ? `${prefix}/${file.name}` : file.name;
    if (file.isDirectory()) return schemaFiles(path.join(dir, file.name), relative);
    if (!file.name.endsWith('.json')) return [];
    return [
      [relative, JSON.parse(fs.readFileSync(path.join(dir, file.name), 'utf8')) as { $id: string }],
    ];
  });
}

/**
 * What the schema at `relative` (e.g. "common/bundle.json", "sdos/indicator.json") says is
 * wrong with `value`: '' when valid. Every schema file is added first, so `$ref`s resolve
 * offline.
 */
export function schemaErrors(relative: string, value: unknown): string {
  if (!ajv) {
    // strict: false for the pre-2019 "definitions" keyword; unicodeRegExp: false because the
    // schemas escape "-" as "\-", which the u flag refuses (their patterns are ASCII).
    ajv = new Ajv2020({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats(ajv);
    // Only observables use idn-hostname, which ajv-formats lacks; the hub serves none.
    ajv.addFormat('idn-hostname', true);
    for (const [rel, schema] of schemaFiles(SCHEMA_DIR)) {
      ajv.addSchema(schema);
      idOf.set(rel, schema.$id);
    }
  }
  const schemas = ajv;
  const id = idOf.get(relative);
  const validate: ValidateFunction | undefined =
    id === undefined ? undefined : schemas.getSchema(id);
  if (!validate) throw new Error(`no schema ${relative}`);
  return validate(value) ? '' : schemas.errorsText(validate.errors);
}
