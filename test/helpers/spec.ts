/** The operations of a spec (DESIGN §5) that many tests write: a table with its columns, a foreign key to another's id. */

/** A column as a spec writes it; `const` inference keeps its type a literal, so the result fits the spec's own types. */
interface Column {
  name: string;
  type: string;
}

/** `createTable` of `table` with `columns`, in order. */
export function createTable<const C extends Column[]>(table: string, ...columns: C) {
  return { op: 'createTable' as const, table, columns };
}

/** The two columns every `projects` table of the tests starts with: a string id and the owner's user_id. */
export const PROJECT_KEYS = [
  { name: 'id', type: 'string', primary: true },
  { name: 'user_id', type: 'string' },
] as const;

/** `addForeignKey` from `table.column` to `target.id`, with `more` (onDelete, name) after. */
export function foreignKey<const M extends object = object>(table: string, column: string, target: string, more?: M) {
  return Object.assign({ op: 'addForeignKey' as const, table, columns: [column], references: { table: target, columns: ['id'] } }, more as M);
}

/** The columns of a `projects` table whose id the database numbers: id, a title and a budget. */
export const NUMBERED_PROJECT = [
  { name: 'id', type: 'integer', primary: true },
  { name: 'title', type: 'string', length: 120 },
  { name: 'budget', type: 'decimal', precision: 12, scale: 2, nullable: true },
] as const;

/** An entity edit's `alterColumn`: `table`'s column as it becomes, and as it was before. */
export function alterColumn<const C extends Column, const B extends Column>(table: string, column: C, before: B) {
  return { op: 'alterColumn' as const, table, column, before };
}
