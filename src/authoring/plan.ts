import { NEUTRAL_VALUES } from './op/column-sql.js';
import type { LiveColumn, LiveTable, SchemaSnapshot } from './snapshot.js';
import type { ColumnSpec, Operation } from './spec.js';

/** One call on the operations of a generated file: `await op.<method>(...args)`. */
export interface Call {
  method: string;
  args: unknown[];
}

/** An operation of the spec, resolved against the schema as the revision has it at that point. */
export interface Step {
  index: number;
  operation: Operation;
  /** What up() does for it, in order. */
  up: Call[];
  /** What down() does to undo it, in the order down() runs it (down() runs the steps in reverse). */
  down: Call[];
  /** The column definitions and names the live schema supplied (alterColumn's full definitions, a dropped index's columns). */
  resolved: Resolved;
}

export type Resolved =
  | { op: 'alterColumn'; before: ColumnSpec; after: ColumnSpec }
  | { op: 'dropColumn'; column: ColumnSpec }
  | { op: 'createIndex' | 'dropIndex'; name: string; columns: string[]; unique: boolean }
  | { op: 'addForeignKey'; name: string }
  | { op: 'dropTable'; columns: ColumnSpec[] }
  | { op: 'none' };

/** MikroORM's naming of indexes and foreign keys (its naming strategy's indexName). */
export type IndexNamer = (table: string, columns: string[], type: 'index' | 'unique' | 'foreign') => string;

/** Why a step cannot be resolved (an unknown table or column): validation reports these before anything is rendered. */
export class PlanError extends Error {
  constructor(
    readonly index: number,
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** PostgreSQL cuts names at 63 bytes, MySQL refuses past 64: a portable name fits both. */
export const MAX_IDENTIFIER = 63;

/** A name MikroORM derives (an index's, a foreign key's): PostgreSQL would cut one too long silently, MariaDB refuse it. */
function derivedName(index: number, field: string, name: string, advice: string): string {
  if (name.length <= MAX_IDENTIFIER) return name;
  throw new PlanError(
    index,
    field,
    `the name ${name.slice(0, 30)}… derived for it is ${name.length} characters, over PostgreSQL's ${MAX_IDENTIFIER}; ${advice}`,
  );
}

const GIVE_NAME = 'give it a shorter "name"';
const SHORTER = 'use shorter table or column names, or leave unique out and add a createIndex with a "name"';

/** A column's type as a foreign key compares it (the spec's type; the database's where the spec has no name for it). */
const keyType = (column: LiveColumn) => column.type ?? column.dbType;
/** Text types are one kind: SQLite reads a varchar back as text. */
const keyKind = (column: LiveColumn) => (['string', 'text', 'uuid'].includes(keyType(column)) ? 'text' : keyType(column));

const call = (method: string, ...args: unknown[]): Call => ({ method, args: args.filter((a) => a !== undefined) });

/** The spec's column from a live one; undefined when its type is one the spec cannot name. */
export function columnFromLive(column: LiveColumn): ColumnSpec | undefined {
  if (!column.type) return undefined;
  const spec: ColumnSpec = { name: column.name, type: column.type };
  if (column.nullable) spec.nullable = true;
  // A numbered key's default is the database's own counter (nextval on PostgreSQL): the key says it.
  if (column.default !== undefined && !column.autoincrement) spec.default = column.default;
  if (column.primary) spec.primary = true;
  if (column.autoincrement) spec.autoincrement = true;
  if (column.type === 'string' && column.length && column.length !== 255) spec.length = column.length;
  if (column.type === 'decimal') Object.assign(spec, { precision: column.precision, scale: column.scale });
  return spec;
}

function liveFromColumn(column: ColumnSpec): LiveColumn {
  return {
    name: column.name,
    type: column.type,
    dbType: column.type,
    nullable: Boolean(column.nullable),
    default: column.default,
    primary: Boolean(column.primary),
    autoincrement: column.autoincrement,
    length: column.length,
    precision: column.precision,
    scale: column.scale,
  };
}

/** The schema as the revision changes it, step by step: each step resolves against what the steps before left. */
class WorkingSchema {
  readonly tables: Map<string, LiveTable>;

  constructor(snapshot: SchemaSnapshot) {
    this.tables = new Map([...snapshot.tables].map(([name, t]) => [name, structuredClone(t)]));
  }

  table(index: number, name: string, field = 'table'): LiveTable {
    const table = this.tables.get(name);
    if (!table) throw new PlanError(index, field, `table ${name} does not exist`);
    return table;
  }

  column(index: number, table: string, name: string, field = 'column'): LiveColumn {
    const column = this.table(index, table).columns.find((c) => c.name === name);
    if (!column) throw new PlanError(index, field, `table ${table} has no column ${name}`);
    return column;
  }

  spec(index: number, table: string, name: string, field = 'column'): ColumnSpec {
    const live = this.column(index, table, name, field);
    if (live.madeBy)
      throw new PlanError(
        index,
        field,
        `${table}.${name} comes from the pending revision ${live.madeBy}, written by hand: its whole definition is known once it is applied; run up first`,
      );
    const spec = columnFromLive(live);
    if (!spec)
      throw new PlanError(
        index,
        field,
        `${table}.${name} is of type ${live.dbType}, which a generated revision cannot restore; use an sql operation`,
      );
    return spec;
  }
}

/** Resolves every operation of the spec into the calls of up() and down(), against the live schema. */
export function planSteps(operations: Operation[], snapshot: SchemaSnapshot, names: IndexNamer): Step[] {
  const schema = new WorkingSchema(snapshot);
  const steps = operations.map((operation, index) => resolve(operation, index, schema, names));
  // Backfills are the steps of one DataMigration: schema operations run before the first or after the last.
  const first = operations.findIndex((o) => o.op === 'backfill');
  const last = operations.findLastIndex((o) => o.op === 'backfill');
  const between = operations.findIndex((o, i) => i > first && i < last && o.op !== 'backfill');
  if (first >= 0 && between >= 0) {
    throw new PlanError(
      between,
      'op',
      `${operations[between].op} between two backfills cannot run there: move it before the first backfill or after the last`,
    );
  }
  return steps;
}

/** The schema as it is after the operations (a pending revision's spec): what a later revision is written against. */
export function schemaAfter(operations: Operation[], snapshot: SchemaSnapshot, names: IndexNamer): SchemaSnapshot {
  const schema = new WorkingSchema(snapshot);
  for (const [index, operation] of operations.entries()) resolve(operation, index, schema, names);
  return { ...snapshot, tables: schema.tables };
}

/** MariaDB reads a decimal's default back with its scale (0 as 0.00): the file and the entity say it so, and `check` agrees. */
function portableDefault(column: ColumnSpec): ColumnSpec {
  if (column.type !== 'decimal' || typeof column.default !== 'number' || column.scale === undefined) return column;
  return { ...column, default: { sql: column.default.toFixed(column.scale) } };
}

function withPortableDefaults(operation: Operation): Operation {
  if (operation.op === 'createTable') return { ...operation, columns: operation.columns.map(portableDefault) };
  if (operation.op === 'addColumn') return { ...operation, column: portableDefault(operation.column) };
  return operation;
}

function resolve(given: Operation, index: number, schema: WorkingSchema, names: IndexNamer): Step {
  const operation = withPortableDefaults(given);
  const step = (up: Call[], down: Call[], resolved: Resolved = { op: 'none' }): Step => ({ index, operation, up, down, resolved });
  switch (operation.op) {
    case 'createTable': {
      schema.tables.set(operation.table, { name: operation.table, columns: operation.columns.map(liveFromColumn), indexes: [], foreignKeys: [] });
      const uniques = operation.columns
        .filter((c) => c.unique)
        .map((c) => {
          const i = operation.columns.indexOf(c);
          const name = derivedName(index, `columns[${i}].unique`, names(operation.table, [c.name], 'unique'), SHORTER);
          return { name, columns: [c.name], unique: true, constraint: true };
        });
      schema.table(index, operation.table).indexes.push(...uniques);
      return step([call('createTable', operation.table, operation.columns)], [call('dropTable', operation.table)]);
    }
    case 'addColumn': {
      const table = schema.table(index, operation.table);
      table.columns.push(liveFromColumn(operation.column));
      const down = [call('dropColumn', operation.table, operation.column.name)];
      if (operation.column.unique) {
        const name = derivedName(index, 'column.unique', names(operation.table, [operation.column.name], 'unique'), SHORTER);
        table.indexes.push({ name, columns: [operation.column.name], unique: true, constraint: true });
        down.unshift(call('dropIndex', operation.table, name, { unique: true }));
      }
      return step([call('addColumn', operation.table, operation.column)], down);
    }
    case 'alterColumn': {
      const before = schema.spec(index, operation.table, operation.column);
      if (before.primary && operation.nullable === true)
        throw new PlanError(index, 'nullable', `${operation.table}.${operation.column} is the primary key, which cannot be nullable`);
      const { op: _op, table: _table, column: _column, ...changes } = operation;
      const after: ColumnSpec = portableDefault({
        ...before,
        ...Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined && v !== null)),
      });
      // `default: null` in an alterColumn takes the default away.
      if (operation.default === null) delete after.default;
      const live = schema.column(index, operation.table, operation.column);
      Object.assign(live, liveFromColumn(after));
      return step([call('alterColumn', operation.table, after)], [call('alterColumn', operation.table, before)], {
        op: 'alterColumn',
        before,
        after,
      });
    }
    case 'renameColumn': {
      const live = schema.column(index, operation.table, operation.from, 'from');
      if (schema.table(index, operation.table).columns.some((c) => c.name === operation.to))
        throw new PlanError(index, 'to', `table ${operation.table} already has a column ${operation.to}`);
      live.name = operation.to;
      for (const i of schema.table(index, operation.table).indexes) i.columns = i.columns.map((c) => (c === operation.from ? operation.to : c));
      return step(
        [call('renameColumn', operation.table, operation.from, operation.to)],
        [call('renameColumn', operation.table, operation.to, operation.from)],
      );
    }
    case 'dropColumn':
      if (schema.column(index, operation.table, operation.column).primary)
        throw new PlanError(
          index,
          'column',
          `${operation.table}.${operation.column} is the primary key; a table keeps its key (drop the table, or write this step as sql)`,
        );
      return dropColumn(operation.table, operation.column, index, schema, step);
    case 'createIndex': {
      const unique = Boolean(operation.unique);
      for (const [i, c] of operation.columns.entries()) schema.column(index, operation.table, c, `columns[${i}]`);
      const name = operation.name ?? derivedName(index, 'name', names(operation.table, operation.columns, unique ? 'unique' : 'index'), GIVE_NAME);
      schema.table(index, operation.table).indexes.push({ name, columns: operation.columns, unique, constraint: unique });
      return step(
        [call('createIndex', operation.table, operation.columns, { name, unique: unique || undefined })],
        [call('dropIndex', operation.table, name, unique ? { unique } : undefined)],
        {
          op: 'createIndex',
          name,
          columns: operation.columns,
          unique,
        },
      );
    }
    case 'dropIndex': {
      const table = schema.table(index, operation.table);
      const found = table.indexes.find((i) => i.name === operation.name);
      if (!found) throw new PlanError(index, 'name', `table ${operation.table} has no index ${operation.name}`);
      table.indexes = table.indexes.filter((i) => i !== found);
      return step(
        [call('dropIndex', operation.table, found.name, found.constraint ? { unique: true } : undefined)],
        [call('createIndex', operation.table, found.columns, { name: found.name, unique: found.unique || undefined })],
        { op: 'dropIndex', name: found.name, columns: found.columns, unique: found.unique },
      );
    }
    case 'addForeignKey': {
      const table = schema.table(index, operation.table);
      foreignKeyProblems(operation, index, schema);
      const name = operation.name ?? derivedName(index, 'name', names(operation.table, operation.columns, 'foreign'), GIVE_NAME);
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
      const fkIndex = covered
        ? undefined
        : derivedName(index, 'columns', names(operation.table, operation.columns, 'index'), 'use shorter table or column names');
      // Keys MikroORM makes unsigned where the database has unsigned (numeric primary keys): the columns pointing at
      // them must match there.
      const target = schema.tables.get(operation.references.table);
      const numericKeys = operation.references.columns.every((c) => {
        const column = target?.columns.find((k) => k.name === c);
        return column?.primary && (column.type === 'integer' || column.type === 'bigint');
      });
      const unsigned = numericKeys || undefined;
      const options = { name, onDelete: operation.onDelete, onUpdate: operation.onUpdate, index: fkIndex, unsigned };
      return step(
        [call('addForeignKey', operation.table, operation.columns, operation.references, options)],
        [call('dropForeignKey', operation.table, operation.columns, { name, index: fkIndex, unsigned })],
        {
          op: 'addForeignKey',
          name,
        },
      );
    }
    case 'renameTable': {
      const table = schema.table(index, operation.from, 'from');
      // Names MikroORM derives from the table follow it, as MikroORM expects them after the rename: the foreign
      // keys' (where they have MikroORM's names) and the indexes databases make for them.
      const keys: Record<string, string> = {};
      const indexes: Record<string, string> = {};
      for (const fk of table.foreignKeys) {
        const renamed = (type: 'foreign' | 'index') => derivedName(index, 'to', names(operation.to, fk.columns, type), 'use a shorter table name');
        if (fk.name === names(operation.from, fk.columns, 'foreign')) keys[fk.name] = renamed('foreign');
        indexes[names(operation.from, fk.columns, 'index')] = renamed('index');
      }
      schema.tables.delete(operation.from);
      const foreignKeys = table.foreignKeys.map((fk) => ({ ...fk, name: keys[fk.name] ?? fk.name }));
      schema.tables.set(operation.to, { ...table, name: operation.to, foreignKeys });
      const flip = (renames: Record<string, string>) => Object.fromEntries(Object.entries(renames).map(([a, b]) => [b, a]));
      const options = (k: Record<string, string>, i: Record<string, string>) => {
        const given = { foreignKeys: Object.keys(k).length > 0 ? k : undefined, indexes: Object.keys(i).length > 0 ? i : undefined };
        return given.foreignKeys || given.indexes ? given : undefined;
      };
      return step(
        [call('renameTable', operation.from, operation.to, options(keys, indexes))],
        [call('renameTable', operation.to, operation.from, options(flip(keys), flip(indexes)))],
      );
    }
    case 'dropTable':
      return dropTable(operation.table, index, schema, step);
    case 'sql':
      return step([call('sql', operation.up)], operation.down.trim() ? [call('sql', operation.down)] : []);
    case 'backfill': {
      for (const column of Object.keys(operation.set)) schema.column(index, operation.table, column, 'set');
      return step([call('backfill', operation.table, operation.set, { where: operation.where, key: operation.key })], []);
    }
  }
}

/** The columns exist on both sides, have one type each side, and the referenced ones are a key (every database needs that). */
function foreignKeyProblems(operation: Extract<Operation, { op: 'addForeignKey' }>, index: number, schema: WorkingSchema): void {
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

type StepMaker = (up: Call[], down: Call[], resolved?: Resolved) => Step;

/** A column's indexes and foreign keys go first (SQLite refuses to drop an indexed column); down() restores all. */
function dropColumn(tableName: string, columnName: string, index: number, schema: WorkingSchema, step: StepMaker): Step {
  const column = schema.spec(index, tableName, columnName);
  const table = schema.table(index, tableName);
  const indexes = table.indexes.filter((i) => i.columns.includes(columnName));
  const keys = table.foreignKeys.filter((fk) => fk.columns.includes(columnName));
  table.indexes = table.indexes.filter((i) => !indexes.includes(i));
  table.foreignKeys = table.foreignKeys.filter((fk) => !keys.includes(fk));
  table.columns = table.columns.filter((c) => c.name !== columnName);
  const up = [
    ...keys.map((fk) => call('dropForeignKey', tableName, fk.columns, { name: fk.name })),
    ...indexes.map((i) => call('dropIndex', tableName, i.name, i.constraint ? { unique: true } : undefined)),
    call('dropColumn', tableName, columnName),
  ];
  // A NOT NULL column without a default cannot be added to a table with rows: added nullable, filled, then NOT NULL.
  const restore =
    column.nullable || column.default !== undefined || column.primary
      ? [call('addColumn', tableName, column)]
      : [
          call('addColumn', tableName, { ...column, nullable: true }),
          call('fillColumn', tableName, columnName, NEUTRAL_VALUES[column.type]),
          call('alterColumn', tableName, column),
        ];
  const down = [
    ...restore,
    ...indexes.map((i) => call('createIndex', tableName, i.columns, { name: i.name, unique: i.unique || undefined })),
    ...keys.map((fk) => call('addForeignKey', tableName, fk.columns, fk.references, { name: fk.name, onDelete: fk.onDelete, onUpdate: fk.onUpdate })),
  ];
  return step(up, down, { op: 'dropColumn', column });
}

/** down() creates the table again exactly as the live schema had it: columns, indexes, foreign keys. */
function dropTable(tableName: string, index: number, schema: WorkingSchema, step: StepMaker): Step {
  const table = schema.table(index, tableName);
  const columns = table.columns.map((c) => schema.spec(index, tableName, c.name, 'table'));
  schema.tables.delete(tableName);
  const down = [
    call('createTable', tableName, columns),
    ...table.indexes.map((i) => call('createIndex', tableName, i.columns, { name: i.name, unique: i.unique || undefined })),
    ...table.foreignKeys.map((fk) =>
      call('addForeignKey', tableName, fk.columns, fk.references, { name: fk.name, onDelete: fk.onDelete, onUpdate: fk.onUpdate }),
    ),
  ];
  return step([call('dropTable', tableName)], down, { op: 'dropTable', columns });
}
