import { escapeStringDefaults, leaveOutTables, OWN_TABLES } from '../core/check.js';
import type { Database } from '../core/database.js';
import { entityMetadata, openEntities } from '../core/entities.js';
import {
  type EntityComparison,
  orm as mikro,
  type SchemaCheck,
  type SchemaColumn,
  type SchemaDifference,
  type SchemaForeignKey,
  type SchemaIndex,
  type TableDifference,
} from '../core/orm/index.js';
import { ACTIONS, type SchemaSnapshot, SPEC_TYPES } from './snapshot.js';
import type { ColumnSpec, Operation, Spec } from './spec.js';

type Diff = Partial<SchemaDifference>;

function columnSpec(column: SchemaColumn): ColumnSpec | undefined {
  const type = SPEC_TYPES[column.mappedType.constructor.name];
  if (!type) return undefined;
  const spec: ColumnSpec = { name: column.name, type };
  if (column.nullable) spec.nullable = true;
  // A numbered key's default is its sequence (PostgreSQL's nextval): autoincrement says it.
  if (column.default != null && !(column.primary && column.autoincrement)) spec.default = { sql: column.default };
  if (column.primary) spec.primary = true;
  if (column.primary && column.autoincrement) spec.autoincrement = true;
  if (type === 'string' && column.length && column.length !== 255) spec.length = column.length;
  if (type === 'decimal') Object.assign(spec, { precision: column.precision, scale: column.scale });
  return spec;
}

const foreignKey = (table: string, fk: SchemaForeignKey): Operation => ({
  op: 'addForeignKey',
  table,
  columns: fk.columnNames,
  references: { table: fk.referencedTableName.replace(/^.*\./, ''), columns: fk.referencedColumnNames },
  onDelete: ACTIONS[String(fk.deleteRule ?? '').toLowerCase()],
  onUpdate: ACTIONS[String(fk.updateRule ?? '').toLowerCase()],
  name: fk.constraintName,
});

const index = (table: string, i: SchemaIndex): Operation => ({
  op: 'createIndex',
  table,
  columns: i.columnNames,
  unique: i.unique || undefined,
  name: i.keyName,
});

/** A check the entities declare with an expression (not a callback MikroORM resolves at run time). */
const check = (table: string, c: SchemaCheck): Operation | undefined =>
  typeof c.expression === 'string' ? { op: 'addCheck', table, name: c.name, expression: c.expression } : undefined;

/**
 * The difference between the entities and the live schema (MikroORM's own comparator, what `migration:create`
 * uses), as spec operations, so it gets a complete down() and the same lint. What the spec cannot say (a type it
 * has no name for, a changed index or foreign key, a check written as a callback) becomes an `sql` operation with MikroORM's
 * own SQL for that table.
 */
export async function fromEntities(db: Database, _snapshot: SchemaSnapshot): Promise<Spec> {
  const options = db.config.options;
  const skipTables = [...(options.schemaGenerator?.skipTables ?? []), ...OWN_TABLES, db.config.migrationsTable];
  const orm = await openEntities(db, {
    // The connection's own: an in-memory database where a read-only command found no SQLite file (nothing created).
    dbName: db.mikroConfig.get('dbName'),
    schemaGenerator: { ...(options.schemaGenerator ?? {}), skipTables },
  });
  try {
    escapeStringDefaults(entityMetadata(orm));
    const generator = await mikro.compareEntities(orm, {});
    leaveOutTables(generator, db);
    const { fromSchema, toSchema } = generator;
    const up = generator.compare(fromSchema, toSchema);
    const down = generator.compare(toSchema, fromSchema, up);
    // MikroORM qualifies a changed table with its schema (`public.features`); the spec names tables as the connection sees them.
    const local = (name: string) => name.replace(new RegExp(`^${db.config.schema ?? 'public'}\\.`), '');
    return { operations: await operationsOfDifference(generator, up, down, { local, sqlite: db.dialect === 'sqlite' }) };
  } finally {
    await orm.close(true);
  }
}

/**
 * MikroORM's comparator's difference (`up`, and `down` its reverse) as spec operations: tables created (their indexes,
 * then every new foreign key and check once all exist), then each changed table, then the tables dropped. What the
 * spec cannot say becomes an `sql` operation with MikroORM's own SQL for that table.
 */
export async function operationsOfDifference(
  generator: EntityComparison,
  up: SchemaDifference,
  down: SchemaDifference,
  { local, sqlite }: { local: (name: string) => string; sqlite: boolean },
): Promise<Operation[]> {
  const created: Operation[] = [];
  const keys: Operation[] = [];
  const changed: Operation[] = [];
  for (const table of Object.values(up.newTables)) {
    const columns = table.getColumns().map(columnSpec);
    if (columns.some((c) => !c)) {
      changed.push(
        ...(await rawTable(
          generator,
          { ...emptyDiff(), newTables: { [table.name]: table } },
          { ...emptyDiff(), removedTables: { [table.name]: table } },
        )),
      );
      continue;
    }
    created.push({ op: 'createTable', table: table.name, columns: columns as ColumnSpec[] });
    created.push(
      ...table
        .getIndexes()
        .filter((i) => !i.primary && !i.expression)
        .map((i) => index(table.name, i)),
    );
    keys.push(...Object.values(table.getForeignKeys()).map((fk) => foreignKey(table.name, fk)));
    keys.push(...table.getChecks().flatMap((c) => check(table.name, c) ?? []));
  }
  // The reverse diff by the same key: MikroORM 7 names the difference `features` under the key `public.features`.
  for (const [key, diff] of Object.entries(up.changedTables))
    changed.push(...(await changedTable(generator, diff, down.changedTables[key], local(diff.name), sqlite)));
  for (const table of Object.values(up.removedTables)) changed.push({ op: 'dropTable', table: local(table.name) });
  return [...created, ...keys, ...changed];
}

function emptyDiff(): Diff {
  return {
    newNamespaces: new Set(),
    newNativeEnums: [],
    newTables: {},
    changedTables: {},
    removedTables: {},
    removedNamespaces: new Set(),
    removedNativeEnums: [],
    orphanedForeignKeys: [],
    // MikroORM 7's views and routines: its diffToSQL reads each (MikroORM 6 has none and ignores them).
    newViews: {},
    changedViews: {},
    removedViews: {},
    newRoutines: {},
    changedRoutines: {},
    removedRoutines: {},
  } as Diff;
}

/** MikroORM's own SQL for one table's difference; none where MikroORM would run nothing (its comparator can report a
 * difference that renders no SQL, as a SQLite foreign key read back from the database does). */
async function rawTable(generator: EntityComparison, up: Diff, down: Diff): Promise<Operation[]> {
  // wrap: false leaves out the head MikroORM puts before a dump (`set names 'utf8';` on PostgreSQL, `set names utf8mb4;`
  // on MySQL, 6 and 7 alike): the revision holds the table's statements alone.
  const sql = async (diff: Diff) => (await generator.toSQL(diff, { wrap: false })).trim();
  const forward = await sql(up);
  return forward ? [{ op: 'sql', up: forward, down: await sql(down) }] : [];
}

async function changedTable(
  generator: EntityComparison,
  diff: TableDifference,
  reverse: TableDifference | undefined,
  t: string,
  sqlite: boolean,
): Promise<Operation[]> {
  const checks = [...Object.values(diff.addedChecks ?? {}), ...Object.values(diff.changedChecks ?? {})];
  const raw =
    [diff.changedIndexes, diff.changedForeignKeys].some((d) => Object.keys(d).length > 0) || checks.some((c) => typeof c.expression !== 'string');
  const columns = [
    ...Object.values(diff.addedColumns),
    ...Object.values(diff.changedColumns).map((c) => c.column),
    ...Object.values(diff.removedColumns),
  ];
  if (raw || columns.some((c) => !columnSpec(c)) || !reverse) {
    return rawTable(generator, { ...emptyDiff(), changedTables: { [t]: diff } }, { ...emptyDiff(), changedTables: reverse ? { [t]: reverse } : {} });
  }
  const operations: Operation[] = [];
  for (const [from, column] of Object.entries(diff.renamedColumns)) operations.push({ op: 'renameColumn', table: t, from, to: column.name });
  // MikroORM's comparator reports SQLite's foreign keys as removed where the entities still have them (and renders
  // nothing for it): there a removed key is not told from one that stays.
  if (!sqlite) for (const fk of Object.values(diff.removedForeignKeys)) operations.push({ op: 'dropForeignKey', table: t, name: fk.constraintName });
  for (const name of [...Object.keys(diff.removedChecks ?? {}), ...Object.keys(diff.changedChecks ?? {})])
    operations.push({ op: 'dropCheck', table: t, name });
  for (const i of Object.values(diff.removedIndexes)) operations.push({ op: 'dropIndex', table: t, name: i.keyName });
  for (const [from, i] of Object.entries(diff.renamedIndexes)) operations.push({ op: 'renameIndex', table: t, from, to: i.keyName });
  for (const column of Object.values(diff.removedColumns)) operations.push({ op: 'dropColumn', table: t, column: column.name });
  for (const column of Object.values(diff.addedColumns)) operations.push({ op: 'addColumn', table: t, column: columnSpec(column)! });
  for (const { column } of Object.values(diff.changedColumns)) {
    const spec = columnSpec(column)!;
    operations.push({
      op: 'alterColumn',
      table: t,
      column: column.name,
      type: spec.type,
      nullable: Boolean(spec.nullable),
      default: spec.default ?? null,
      length: spec.length,
      precision: spec.precision,
      scale: spec.scale,
    });
  }
  for (const i of Object.values(diff.addedIndexes)) operations.push(index(t, i));
  for (const fk of Object.values(diff.addedForeignKeys)) operations.push(foreignKey(t, fk));
  operations.push(...checks.flatMap((c) => check(t, c) ?? []));
  return operations;
}
