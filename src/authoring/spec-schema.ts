// The spec's schema (DESIGN §5), built from each operation's shape when a spec is first validated: zod is loaded here,
// on demand, so `status` and the TUI's first frame (which load the operation table) do not load it.
import { createRequire } from 'node:module';
import { OPERATION_NAMES, OPERATIONS } from './ops/index.js';
import type { Kit, Zod } from './ops/spec-kit.js';

export const SPEC_PROBLEM = 'the spec is an object with an "operations" array';

const schemas = new Map<boolean, Zod.ZodType>();
let zod: typeof Zod | undefined;

/** zod, loaded the first time a spec is validated. */
export function loadZod(): typeof Zod {
  zod ??= createRequire(import.meta.url)('zod') as typeof Zod;
  return zod;
}

/** The schema of a spec file; `reserved`: reserved words are refused in the names it gives (not in MikroORM's diff). */
export function specSchema(reserved = true, z = loadZod()): Zod.ZodType {
  const known = z === zod ? schemas.get(reserved) : undefined;
  if (known) return known;
  const kit: Kit = { z, reserved };
  const operations = OPERATION_NAMES.map((n) => (OPERATIONS[n].spec as unknown as (kit: Kit) => Zod.ZodObject)(kit));
  const operation = z.discriminatedUnion('op', operations as [Zod.ZodObject, ...Zod.ZodObject[]]);
  const schema = z.strictObject(
    {
      $schema: z.string().optional().describe('the JSON Schema editors complete the file from'),
      operations: z.array(operation, { error: SPEC_PROBLEM }).min(1, { error: 'add at least one operation' }),
    },
    { error: SPEC_PROBLEM },
  );
  if (z === zod) schemas.set(reserved, schema);
  return schema;
}

/** The JSON Schema of a spec file (draft 7, which editors read), as `npm run schema` writes schema/spec.schema.json. */
export function specJsonSchema(): Record<string, unknown> {
  const z = loadZod();
  const schema = z.toJSONSchema(specSchema(true, z), { target: 'draft-7', io: 'input' });
  return { ...schema, title: 'migrate-ui spec', description: 'A revision as a list of operations, for `migrate-ui new NAME --spec FILE`' };
}

/** The file's text: two-space JSON and a newline at the end. */
export const specJsonSchemaText = () => `${JSON.stringify(specJsonSchema(), null, 2)}\n`;
