import { text } from './form.js';
import type * as s from './spec-kit.js';
import { call, type OperationDef } from './types.js';

/** The shape of its spec. */
const spec = (k: s.Kit) =>
  k.z.strictObject({
    op: k.z.literal('sql'),
    up: k.z
      .string({ error: 'the SQL up() runs is needed' })
      .refine((up) => up.trim(), { error: 'the SQL up() runs is needed' })
      .describe('the SQL up() runs'),
    down: k.z
      .string({ error: 'the SQL down() runs is needed (an empty string when nothing can undo it)' })
      .describe('the SQL down() runs (an empty string when nothing can undo it)'),
  });
export type Sql = s.SpecOf<typeof spec>;

export const sql: OperationDef<Sql> = {
  spec,
  menu: 'raw SQL for up and down (not portable)',
  plan: (operation) => ({ up: [call('sql', operation.up)], down: operation.down.trim() ? [call('sql', operation.down)] : [] }),
  form: {
    fields: [
      { key: 'up', label: 'up SQL', kind: 'text', placeholder: 'what up() runs' },
      { key: 'down', label: 'down SQL', kind: 'text', placeholder: 'what down() runs (empty: nothing)' },
    ],
    toSpec: (v) => ({ op: 'sql', up: text(v.up), down: text(v.down) }),
    fromSpec: (o) => ({ kind: o.op, values: { up: o.up, down: o.down } }),
    summary: (v) => `sql ${text(v.up).slice(0, 50) || '…'}`,
  },
  lint: {
    sql: ([statement]) => (typeof statement === 'string' ? [statement] : undefined),
  },
};
