import type { LiveColumn, SchemaSnapshot } from '../snapshot.js';
import { OPERATIONS, type Operation, planOne } from './index.js';
import { type IndexNamer, WorkingSchema } from './schema.js';

/** A column as the form offers it: its name, and what alterColumn starts from. */
export interface ColumnAt {
  name: string;
  type?: string;
  nullable: boolean;
  primary?: boolean;
  default?: string;
  length?: number;
  precision?: number;
  scale?: number;
}

/** MikroORM's default naming, for names the form does not have yet: only a dropIndex's choices show them. */
const defaultNames: IndexNamer = (table, columns, type) => `${table}_${columns.join('_')}_${type}`;

/**
 * The schema as the operations before one leave it, for the form's choices: the live tables, changed by each
 * operation as the planner changes them. Incomplete operations count as far as they go.
 */
export class SchemaAt {
  private constructor(private readonly schema: WorkingSchema) {}

  static of(snapshot: SchemaSnapshot, before: Operation[], names: IndexNamer = defaultNames): SchemaAt {
    const schema = new WorkingSchema(snapshot);
    for (const [index, operation] of before.entries()) {
      if (!OPERATIONS[operation.op]) continue;
      try {
        planOne(operation, index, schema, names);
      } catch {
        // What it changed before the problem stays: the form shows its problem next to its field.
      }
    }
    return new SchemaAt(schema);
  }

  tableNames(): string[] {
    return [...this.schema.tables.keys()].filter(Boolean).sort();
  }

  columnNames(table: string): string[] {
    return (this.schema.tables.get(table)?.columns ?? []).map((c) => c.name).filter(Boolean);
  }

  column(table: string, name: string): ColumnAt | undefined {
    const found = this.schema.tables.get(table)?.columns.find((c) => c.name === name);
    return found && columnAt(found);
  }

  indexNames(table: string): string[] {
    return (this.schema.tables.get(table)?.indexes ?? []).map((i) => i.name).filter(Boolean);
  }

  foreignKeyNames(table: string): string[] {
    return (this.schema.tables.get(table)?.foreignKeys ?? []).map((k) => k.name).filter(Boolean);
  }

  checkNames(table: string): string[] {
    return (this.schema.tables.get(table)?.checks ?? []).map((c) => c.name).filter(Boolean);
  }
}

function columnAt(c: LiveColumn): ColumnAt {
  const value = c.default;
  const shown = value === undefined || c.autoincrement ? undefined : value === null ? 'null' : typeof value === 'object' ? value.sql : String(value);
  return {
    name: c.name,
    type: c.type,
    nullable: c.nullable,
    primary: c.primary,
    default: shown,
    length: c.length,
    precision: c.precision,
    scale: c.scale,
  };
}
