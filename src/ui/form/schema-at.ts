import type { LiveColumn, SchemaSnapshot } from '../../authoring/snapshot.js';
import type { Operation } from '../../authoring/spec.js';

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

interface TableAt {
  columns: ColumnAt[];
  indexes: string[];
}

/**
 * The schema as the operations before one leave it, for the form's choices: the live tables, plus the spec's own new
 * tables and columns, less what it dropped or renamed. Incomplete operations count as far as they go.
 */
export class SchemaAt {
  private constructor(private readonly tables: Map<string, TableAt>) {}

  static of(snapshot: SchemaSnapshot, before: Operation[]): SchemaAt {
    const tables = new Map<string, TableAt>();
    for (const [name, table] of snapshot.tables) {
      tables.set(name, { columns: table.columns.map(liveColumn), indexes: table.indexes.map((i) => i.name) });
    }
    for (const operation of before) apply(tables, operation);
    return new SchemaAt(tables);
  }

  tableNames(): string[] {
    return [...this.tables.keys()].sort();
  }

  columnNames(table: string): string[] {
    return this.tables.get(table)?.columns.map((c) => c.name) ?? [];
  }

  column(table: string, name: string): ColumnAt | undefined {
    return this.tables.get(table)?.columns.find((c) => c.name === name);
  }

  indexNames(table: string): string[] {
    return this.tables.get(table)?.indexes ?? [];
  }
}

function liveColumn(c: LiveColumn): ColumnAt {
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

function apply(tables: Map<string, TableAt>, operation: Operation): void {
  const table = 'table' in operation ? tables.get(operation.table) : undefined;
  switch (operation.op) {
    case 'createTable':
      if (operation.table && Array.isArray(operation.columns))
        tables.set(operation.table, {
          columns: operation.columns.map((c) => ({ name: c.name, type: c.type, nullable: !!c.nullable, primary: !!c.primary })),
          indexes: [],
        });
      return;
    case 'addColumn':
      if (operation.column?.name)
        table?.columns.push({ name: operation.column.name, type: operation.column.type, nullable: !!operation.column.nullable });
      return;
    case 'renameColumn':
      for (const c of table?.columns ?? []) if (c.name === operation.from && operation.to) c.name = operation.to;
      return;
    case 'dropColumn':
      if (table) table.columns = table.columns.filter((c) => c.name !== operation.column);
      return;
    case 'createIndex':
      if (operation.name) table?.indexes.push(operation.name);
      return;
    case 'dropIndex':
      if (table) table.indexes = table.indexes.filter((i) => i !== operation.name);
      return;
    case 'renameTable': {
      const renamed = tables.get(operation.from);
      if (renamed && operation.to) {
        tables.delete(operation.from);
        tables.set(operation.to, renamed);
      }
      return;
    }
    case 'dropTable':
      tables.delete(operation.table);
      return;
  }
}
