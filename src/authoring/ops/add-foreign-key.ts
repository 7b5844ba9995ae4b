import type { Literal } from '../../core/lint/revision-file.js';
import type { LintSql } from '../../core/lint/shapes.js';
import { REFERENTIAL_ACTIONS } from '../spec.js';
import { ACTION_CHOICES, action, COLUMNS_FIELD, list, OPTIONAL_NAME_FIELD, optional, shown, TABLE_FIELD, TABLES, tableOf, text } from './form.js';
import { PlanError, type WorkingSchema } from './schema.js';
import { GIVE_NAME, keyKind, keyType } from './shared.js';
import * as s from './spec-kit.js';
import { call, type OperationDef } from './types.js';

/** The shape of its spec. */
const spec = (k: s.Kit) => {
  const action = () => k.z.enum(REFERENTIAL_ACTIONS, { error: `one of ${REFERENTIAL_ACTIONS.join(', ')}` }).optional();
  return k.z
    .strictObject({
      op: k.z.literal('addForeignKey'),
      table: s.name(k),
      columns: s.names(k),
      references: k.z.strictObject(
        { table: s.name(k), columns: k.z.array(s.name(k), { error: 'as many referenced columns as columns' }) },
        { error: 'references { table, columns } is needed' },
      ),
      onDelete: action(),
      onUpdate: action(),
      name: s.name(k, true).optional(),
    })
    .superRefine((o, ctx) => {
      const refs = o.references.columns;
      if (refs.length !== o.columns.length)
        ctx.addIssue({ code: 'custom', path: ['references', 'columns'], message: 'as many referenced columns as columns', input: o });
      else
        refs.forEach((n, i) => {
          if (refs.indexOf(n) < i)
            ctx.addIssue({ code: 'custom', path: ['references', 'columns', i], message: `column ${n} is listed twice`, input: o });
        });
    });
};
export type AddForeignKey = s.SpecOf<typeof spec>;

export const addForeignKey: OperationDef<AddForeignKey> = {
  spec,
  menu: 'a foreign key to another table',
  plan(operation, { schema, index, names, derived }) {
    const table = schema.table(index, operation.table);
    foreignKeyProblems(operation, index, schema);
    const name = operation.name ?? derived('name', names(operation.table, operation.columns, 'foreign'), GIVE_NAME);
    table.foreignKeys.push({
      name,
      columns: operation.columns,
      references: operation.references,
      onDelete: operation.onDelete,
      onUpdate: operation.onUpdate,
    });
    // MikroORM indexes a many-to-one's columns where the database indexes foreign keys; the file says which index,
    // and the operation makes it only there. Not tracked here: PostgreSQL never has it.
    const covered = table.indexes.some((i) => operation.columns.every((c, k) => i.columns[k] === c));
    const fkIndex = covered ? undefined : derived('columns', names(operation.table, operation.columns, 'index'), 'use shorter table or column names');
    // Keys MikroORM makes unsigned where the database has unsigned (numeric primary keys): the columns pointing at
    // them must match there.
    const target = schema.tables.get(operation.references.table);
    const numericKeys = operation.references.columns.every((c) => {
      const column = target?.columns.find((k) => k.name === c);
      return column?.primary && (column.type === 'integer' || column.type === 'bigint');
    });
    const unsigned = numericKeys || undefined;
    const options = { name, onDelete: operation.onDelete, onUpdate: operation.onUpdate, index: fkIndex, unsigned };
    return {
      up: [call('addForeignKey', operation.table, operation.columns, operation.references, options)],
      down: [call('dropForeignKey', operation.table, operation.columns, { name, index: fkIndex, unsigned })],
      resolved: { op: 'addForeignKey', name },
    };
  },
  entity: (o, r) => {
    if (r.op !== 'addForeignKey') return undefined;
    const { op, table, columns, references, onDelete, onUpdate } = o;
    return { op, table, columns, references, onDelete, onUpdate, name: r.name };
  },
  // A foreign key's relation stays when the form takes it back.
  form: {
    fields: [
      TABLE_FIELD,
      COLUMNS_FIELD,
      { key: 'refTable', label: 'references', kind: 'choice', problem: 'references.table', choices: TABLES },
      {
        key: 'refColumns',
        label: 'ref. columns',
        kind: 'multi',
        problem: 'references.columns',
        choices: (ctx) => ctx.schema.columnNames(text(ctx.values.refTable)),
      },
      { key: 'onDelete', label: 'on delete', kind: 'choice', choices: ACTION_CHOICES },
      { key: 'onUpdate', label: 'on update', kind: 'choice', choices: ACTION_CHOICES },
      OPTIONAL_NAME_FIELD,
    ],
    toSpec: (v) => ({
      op: 'addForeignKey',
      table: text(v.table).trim(),
      columns: list(v.columns),
      references: { table: text(v.refTable), columns: list(v.refColumns) },
      onDelete: action(v.onDelete),
      onUpdate: action(v.onUpdate),
      name: optional(v.name),
    }),
    fromSpec: (o) => ({
      kind: o.op,
      values: {
        table: o.table,
        columns: o.columns,
        refTable: o.references.table,
        refColumns: o.references.columns,
        onDelete: o.onDelete ?? '(none)',
        onUpdate: o.onUpdate ?? '(none)',
        name: o.name ?? '',
      },
    }),
    summary: (v) => `addForeignKey ${tableOf(v)} (${list(v.columns).join(', ') || '…'}) → ${shown(v.refTable)}`,
  },
  lint: {
    addForeignKey: ([table, columns, , options], sql) =>
      foreignKeySql(sql, table, options, `add constraint {name} foreign key (${sql.names(columns) ?? ''})`),
    dropForeignKey: ([table, , options], sql) => foreignKeySql(sql, table, options, 'drop constraint {name}'),
  },
};

/** A foreign key's statement as the lint reads it; on SQLite the table is rebuilt. */
function foreignKeySql(sql: LintSql, table: Literal | undefined, options: Literal | undefined, clause: string): string[] | undefined {
  if (typeof table !== 'string') return undefined;
  if (sql.family === 'sqlite') return sql.rebuild(table);
  const name = sql.quote(sql.isFields(options) && typeof options.name === 'string' ? options.name : `${table}_foreign`);
  return [`alter table ${sql.quote(table)} ${clause.replace('{name}', name)}`];
}

/** The columns exist on both sides, have one type each side, and the referenced ones are a key (every database needs that). */
function foreignKeyProblems(operation: AddForeignKey, index: number, schema: WorkingSchema): void {
  const { table, references } = operation;
  const from = operation.columns.map((c, i) => schema.column(index, table, c, `columns[${i}]`));
  const target = schema.table(index, references.table, 'references.table');
  const to = references.columns.map((c, i) => schema.column(index, references.table, c, `references.columns[${i}]`));
  from.forEach((column, i) => {
    if (keyKind(column) !== keyKind(to[i]))
      throw new PlanError(
        index,
        `columns[${i}]`,
        `${table}.${column.name} is ${keyType(column)} but ${references.table}.${to[i].name} is ${keyType(to[i])}: a foreign key joins columns of one type`,
      );
  });
  const same = (columns: string[]) => columns.length === references.columns.length && columns.every((c) => references.columns.includes(c));
  const primary = target.columns.filter((c) => c.primary).map((c) => c.name);
  if (!same(primary) && !target.indexes.some((i) => i.unique && same(i.columns)))
    throw new PlanError(
      index,
      'references.columns',
      `${references.table} (${references.columns.join(', ')}) is neither its primary key nor unique; a foreign key references a key`,
    );
}
