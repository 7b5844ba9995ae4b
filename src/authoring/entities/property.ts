import type { ColumnDefault, ColumnSpec, ColumnType } from '../spec.js';
import type { Relation } from './editor.js';
import { quoted } from './text-edits.js';
import { defaultSql } from '../op/column-sql.js';
import { mikroOrmMajor } from '../../core/modules.js';

/** The parts of a column that an entity property states. */
export type ColumnField = 'type' | 'length' | 'precision' | 'scale' | 'nullable' | 'default' | 'unique';

export const ALL_FIELDS: ColumnField[] = ['type', 'length', 'precision', 'scale', 'nullable', 'default', 'unique'];

/** The TypeScript type of a property of each column type, as MikroORM 6 hydrates it by default. */
export const TS_TYPES: Record<ColumnType, string> = {
  string: 'string',
  text: 'string',
  integer: 'number',
  bigint: 'bigint',
  boolean: 'boolean',
  float: 'number',
  double: 'string',
  decimal: 'string',
  json: 'unknown',
  date: 'string',
  datetime: 'Date',
  uuid: 'string',
  blob: 'Buffer',
};

/** Column types that decorator metadata (design:type String, Number, Boolean) alone maps right; the rest need `type`. */
export const REFLECTED_TYPES: ColumnType[] = ['string', 'integer', 'boolean'];

/** A property a new column becomes. */
export interface NewProperty {
  name: string;
  column: ColumnSpec;
  /** The column name, where the naming strategy would not derive it from the property name. */
  fieldName?: string;
  /** A single numeric primary key of a new table: MikroORM would otherwise expect an autoincrement column. */
  noAutoincrement?: boolean;
}

/** The fields an alterColumn changes; a type change brings length, precision and scale with it. */
export function changedFields(before: ColumnSpec | undefined, after: ColumnSpec): ColumnField[] {
  if (!before) return ALL_FIELDS.filter((f) => f !== 'unique');
  const differs = (f: ColumnField) => JSON.stringify(before[f] ?? null) !== JSON.stringify(after[f] ?? null);
  const typeChanged = before.type !== after.type;
  return ALL_FIELDS.filter((f) => f !== 'unique' && (differs(f) || (typeChanged && ['length', 'precision', 'scale'].includes(f))));
}

/** A literal default as TypeScript source. */
function literal(value: Exclude<ColumnDefault, { sql: string }>, quote: string): string {
  return typeof value === 'string' ? quoted(value, quote) : String(value);
}

/** The options (key, source text) that state the given fields of a column; an undefined value removes the option. */
export function columnOptions(column: ColumnSpec, fields: ColumnField[], quote: string): Array<[string, string | undefined]> {
  const out: Array<[string, string | undefined]> = [];
  const sized = (applies: boolean, value: number | undefined) => (applies && value !== undefined ? String(value) : undefined);
  for (const field of fields) {
    if (field === 'type') out.push(['type', quoted(column.type, quote)]);
    if (field === 'length') out.push(['length', sized(column.type === 'string', column.length)]);
    if (field === 'precision') out.push(['precision', sized(column.type === 'decimal', column.precision)]);
    if (field === 'scale') out.push(['scale', sized(column.type === 'decimal', column.scale)]);
    if (field === 'nullable') out.push(['nullable', column.nullable ? 'true' : undefined]);
    if (field === 'unique') out.push(['unique', column.unique ? 'true' : undefined]);
    if (field === 'default') {
      const value = column.default;
      // MikroORM quotes a string default without doubling its quotes: one holding a quote is written as SQL.
      const raw =
        typeof value === 'object' && value !== null ? value.sql : typeof value === 'string' && value.includes("'") ? defaultSql(value) : undefined;
      out.push(['defaultRaw', raw === undefined ? undefined : quoted(raw, quote)]);
      out.push(['default', value === undefined || raw !== undefined ? undefined : literal(value as Exclude<ColumnDefault, { sql: string }>, quote)]);
    }
  }
  return out;
}

/** The options of a new property, only those with a value. */
export function newOptions(property: NewProperty, withType: boolean, quote: string): Array<[string, string]> {
  const fields = ALL_FIELDS.filter((f) => f !== 'type' || withType);
  const entries = columnOptions(property.column, fields, quote).filter((e): e is [string, string] => e[1] !== undefined);
  if (property.fieldName) entries.splice(withType ? 1 : 0, 0, ['fieldName', quoted(property.fieldName, quote)]);
  if (property.noAutoincrement) entries.push(['autoincrement', 'false']);
  return entries;
}

/** defineEntity's builder methods for the options (`.nullable()`, `.default(0)`), in the order the options come. */
export function builderCalls(options: Array<[string, string]>): string {
  return options.map(([key, value]) => (value === 'true' && key !== 'default' ? `.${key}()` : `.${key}(${value})`)).join('');
}

/** A property's TypeScript type, `| null` added for a nullable one where the file writes it so. */
export function tsTypeOf(column: ColumnSpec, nullUnion: boolean): string {
  return column.nullable && nullUnion ? `${TS_TYPES[column.type]} | null` : TS_TYPES[column.type];
}

/** The options of a many-to-one relation: its column, nullability, referential rules and a constraint name that is not the default. */
/**
 * An EntitySchema relation's `entity` option: the target's name as a string on MikroORM 6; on MikroORM 7, which takes
 * only a class or EntitySchema there (a string fails its types and its discovery), `() => Declaration`, whose file the
 * caller imports (`valueImport`).
 */
export function relationEntity(relation: Relation, quote: string): { text: string; valueImport?: string } {
  if (mikroOrmMajor() < 7) return { text: quoted(relation.target.entityName, quote) };
  return { text: `() => ${relation.target.declaration}`, valueImport: relation.target.declaration };
}

export function relationOptions(relation: Relation, quote: string): Array<[string, string]> {
  const options: Array<[string, string]> = [['fieldName', quoted(relation.fieldName, quote)]];
  if (relation.nullable) options.push(['nullable', 'true']);
  if (relation.deleteRule) options.push(['deleteRule', quoted(relation.deleteRule, quote)]);
  if (relation.updateRule) options.push(['updateRule', quoted(relation.updateRule, quote)]);
  if (relation.foreignKeyName) options.push(['foreignKeyName', quoted(relation.foreignKeyName, quote)]);
  return options;
}
