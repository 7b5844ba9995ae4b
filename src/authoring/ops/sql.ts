import { text } from './form.js';
import { call, type OperationDef } from './types.js';

export interface Sql {
  op: 'sql';
  up: string;
  down: string;
}

export const sql: OperationDef<Sql> = {
  fields: ['up', 'down'],
  menu: 'raw SQL for up and down (not portable)',
  shape({ operation, problem }) {
    if (typeof operation.up !== 'string' || !operation.up.trim()) problem('up', 'the SQL up() runs is needed');
    if (typeof operation.down !== 'string') problem('down', 'the SQL down() runs is needed (an empty string when nothing can undo it)');
  },
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
