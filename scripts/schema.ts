// `npm run schema`: writes schema/spec.schema.json, the JSON Schema of a `--spec` file, from the operations' zod schemas
// (test/authoring/spec-json-schema.test.ts checks the committed file is what this writes).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { specJsonSchemaText } from '../src/authoring/spec-schema.js';

const file = join(dirname(fileURLToPath(import.meta.url)), '..', 'schema', 'spec.schema.json');
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, specJsonSchemaText());
console.log(`wrote ${file}`);
