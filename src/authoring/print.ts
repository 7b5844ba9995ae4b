import type { Call } from './plan.js';

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const WIDTH = 100;
const ESCAPED = /[\\'\n]/;

/** A value as TypeScript source, the way a person would write it: single quotes, bare keys, undefined fields left out. */
export function literal(value: unknown, indent = ''): string {
  if (value === null) return 'null';
  if (typeof value === 'string')
    return ESCAPED.test(value) ? `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'` : `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const items = value.map((v) => literal(v, `${indent}  `));
    const flat = `[${items.join(', ')}]`;
    return flat.length + indent.length <= WIDTH && !flat.includes('\n') ? flat : `[\n${items.map((i) => `${indent}  ${i},`).join('\n')}\n${indent}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    const fields = entries.map(([k, v]) => `${IDENTIFIER.test(k) ? k : literal(k)}: ${literal(v, `${indent}  `)}`);
    const flat = fields.length ? `{ ${fields.join(', ')} }` : '{}';
    return flat.length + indent.length <= WIDTH && !flat.includes('\n') ? flat : `{\n${fields.map((f) => `${indent}  ${f},`).join('\n')}\n${indent}}`;
  }
  throw new Error(`cannot write ${typeof value} into a migration file`);
}

/** One call as a statement of up() or down(): `await op.createTable('projects', [...]);`. */
export function callSource(c: Call, indent: string): string {
  const args = c.args.map((a) => literal(a, indent));
  const flat = `${indent}await op.${c.method}(${args.join(', ')});`;
  if (flat.length <= WIDTH && !flat.includes('\n')) return flat;
  return `${indent}await op.${c.method}(${args.join(', ')});`;
}
