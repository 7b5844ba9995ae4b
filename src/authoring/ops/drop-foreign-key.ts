import { shown, TABLE_FIELD, tableOf, text } from './form.js';
import { PlanError } from './schema.js';
import * as s from './spec-kit.js';
import { call, type OperationDef } from './types.js';

/** The shape of its spec. */
const spec = (k: s.Kit) => k.z.strictObject({ op: k.z.literal('dropForeignKey'), table: s.name(k), name: s.name(k) });
export type DropForeignKey = s.SpecOf<typeof spec>;

export const dropForeignKey: OperationDef<DropForeignKey> = {
  spec,
  menu: 'drop a foreign key (the columns and rows stay)',
  // The index of its columns stays; down() adds the key again as the database had it: columns, table, rules.
  plan(operation, { schema, index }) {
    const table = schema.table(index, operation.table);
    const key = table.foreignKeys.find((k) => k.name === operation.name);
    if (!key) throw new PlanError(index, 'name', `table ${operation.table} has no foreign key ${operation.name}`);
    table.foreignKeys = table.foreignKeys.filter((k) => k !== key);
    const { columns, references, onDelete, onUpdate } = key;
    return {
      up: [call('dropForeignKey', operation.table, columns, { name: key.name })],
      down: [call('addForeignKey', operation.table, columns, references, { name: key.name, onDelete, onUpdate })],
    };
  },
  entityNote: (o) => `the relation of ${o.table} still makes the foreign key ${o.name}; edit the entity by hand (createForeignKeyConstraint: false)`,
  form: {
    fields: [
      TABLE_FIELD,
      { key: 'name', label: 'foreign key', kind: 'choice', choices: (ctx) => ctx.schema.foreignKeyNames(text(ctx.values.table)) },
    ],
    toSpec: (v) => ({ op: 'dropForeignKey', table: text(v.table).trim(), name: text(v.name) }),
    fromSpec: (o) => ({ kind: o.op, values: { table: o.table, name: o.name } }),
    summary: (v) => `dropForeignKey ${shown(v.name)} on ${tableOf(v)}`,
  },
};
