// Reads up()'s statements in order, keeping track of which tables and columns existed before the revision,
// and finds what each statement risks on a table that has rows.
import type { Dialect } from '../url.js';
import type { LintRule, LintWarning, LiveSchema } from './lint.js';
import { adoptsIndex, type ColumnsBefore, restatedNullability } from './lint-columns.js';
import { narrowingOf } from './lint-types.js';
import type { AlterAction, Statement, TableRef } from './statement.js';
import { TableHistory, tableName } from './table-history.js';

/** A warning and the position of its statement in up(), for ordering. */
export interface Finding extends LintWarning {
  at: number;
}

const BREAKS = 'code still using the old name breaks the moment it runs; rename in steps';

function constraintName(action: { constraint: string; name?: string }): string {
  const kind = action.constraint === 'unique' ? 'unique constraint' : 'primary key';
  return action.name === undefined ? kind : `${kind} ${action.name}`;
}

function unqualified(table: string): string {
  return table.slice(table.lastIndexOf('.') + 1);
}

/** The schema as up() has changed it so far: which tables held rows before it, which columns it added or renamed. */
export class SchemaSoFar {
  private readonly history = new TableHistory();
  /** `liveTable.column` (lower case) of the columns this revision added. */
  private readonly added = new Set<string>();
  /** `liveTable.column` (lower case) → the name the live schema gives the column, for columns this revision renamed. */
  private readonly originals = new Map<string, string>();
  private readonly drops: Array<{ live: string; statement: string; at: number }> = [];

  constructor(
    private readonly dialect: Dialect,
    private readonly before: ColumnsBefore,
    private readonly live?: LiveSchema,
  ) {}

  /** What this statement of up() risks; also records what it did, for the statements after it. */
  read(statement: Statement, text: string, at: number): Finding[] {
    const found = (rule: LintRule, message: string): Finding => ({ rule, message, statement: text, at });
    switch (statement.kind) {
      case 'create-table':
        this.history.created(statement.table);
        if (statement.select?.from) this.history.copied(statement.table, statement.select.from, statement.select.columns);
        return [];
      case 'insert':
        if (statement.select?.from) this.history.copied(statement.table, statement.select.from, statement.select.columns);
        return [];
      case 'rename-table':
        return statement.renames.flatMap(({ from, to }) => {
          const live = this.liveOf(from);
          this.history.renamed(from, to);
          return live === null ? [] : [found('rename', `renames table ${tableName(from)} to ${tableName(to)}: ${BREAKS}`)];
        });
      case 'create-index': {
        if (this.dialect !== 'postgresql' || statement.concurrently || this.liveOf(statement.table) === null) return [];
        const index = statement.name ?? `(${statement.columns.join(', ')})`;
        return [
          found(
            'index-not-concurrent',
            `builds index ${index} on ${tableName(statement.table)} without CONCURRENTLY: locks writes to the table while it builds`,
          ),
        ];
      }
      case 'drop-table':
        for (const table of statement.tables) {
          const live = this.liveOf(table);
          this.history.dropped(table);
          if (live) this.drops.push({ live, statement: text, at });
        }
        return [];
      case 'alter-table':
        return statement.actions.flatMap((action) => this.alter(statement.table, action, text).map(([rule, message]) => found(rule, message)));
      default:
        return [];
    }
  }

  /** SQLite table rebuilds: a live table dropped and a copy of its rows renamed back to its name. */
  rebuilds(): Finding[] {
    if (this.dialect !== 'sqlite') return [];
    return this.drops
      .filter((drop) => this.history.restoredCopy(drop.live))
      .map(({ live, statement, at }) => ({
        rule: 'sqlite-rebuild',
        message: `rebuilds table ${live}: copies every row and holds a write lock meanwhile`,
        statement,
        at,
      }));
  }

  private alter(table: TableRef, action: AlterAction, text: string): Array<[LintRule, string]> {
    const live = this.liveOf(table);
    const name = tableName(table);
    if (action.kind === 'drop-column') this.history.droppedColumn(table, action.column);
    if (action.kind === 'rename-table') this.history.renamed(table, { schema: table.schema, ...action.to });
    // A table this revision created has no rows and no code using it yet.
    if (live === null) return [];
    switch (action.kind) {
      case 'add-column':
        this.added.add(`${live}.${action.column}`.toLowerCase());
        if (!action.notNull || action.hasDefault) return [];
        return [
          [
            'not-null-without-default',
            `adds ${name}.${action.column} as NOT NULL without a default: fails on a table that has rows, or locks it while it fills`,
          ],
        ];
      case 'set-not-null':
        return this.isNew(live, action.column) || this.wasNullable(live, action.column) === false ? [] : [this.madeNotNull(name, action.column)];
      case 'alter-column-type':
        return this.isNew(live, action.column) ? [] : this.retyped(live, name, action.column, action.type, text);
      case 'rename-column': {
        const original = this.originalOf(live, action.from);
        this.originals.set(`${live}.${action.to}`.toLowerCase(), original);
        if (this.isNew(live, action.from)) {
          this.added.add(`${live}.${action.to}`.toLowerCase());
          return [];
        }
        return [['rename', `renames column ${name}.${action.from} to ${action.to}: ${BREAKS}`]];
      }
      case 'rename-table':
        return [['rename', `renames table ${name} to ${tableName(action.to)}: ${BREAKS}`]];
      case 'add-constraint':
        if (
          this.dialect !== 'postgresql' ||
          (action.constraint !== 'unique' && action.constraint !== 'primary-key') ||
          adoptsIndex(text, this.dialect)
        ) {
          return [];
        }
        return [
          [
            'index-not-concurrent',
            `adds ${constraintName(action)} on ${name}, building its index without CONCURRENTLY: locks writes to the table while it builds`,
          ],
        ];
      default:
        return [];
    }
  }

  private retyped(live: string, name: string, column: string, type: string, text: string): Array<[LintRule, string]> {
    const found: Array<[LintRule, string]> = [];
    const original = this.originalOf(live, column);
    const oldType = this.liveLookup((t) => this.live?.type(t, original), live) ?? this.before.of(live, original).type;
    const why = oldType === undefined || this.dialect === 'sqlite' ? undefined : narrowingOf(oldType, type, this.dialect);
    if (why) found.push(['narrowing-type', `narrows ${name}.${column} from ${oldType} to ${type}: ${why}`]);
    // MySQL's MODIFY restates NOT NULL whether or not it changes: only a column known to have been nullable counts.
    if (restatedNullability(text, this.dialect).get(column.toLowerCase()) && this.wasNullable(live, column) === true) {
      found.push(this.madeNotNull(name, column));
    }
    return found;
  }

  private madeNotNull(name: string, column: string): [LintRule, string] {
    return ['not-null-without-default', `makes ${name}.${column} NOT NULL: fails while any row is null, and checks every row under a lock`];
  }

  /** Whether the column allowed NULL before this revision: the live schema's word, else down()'s; undefined when neither says. */
  private wasNullable(live: string, column: string): boolean | undefined {
    const original = this.originalOf(live, column);
    const nullable = this.liveLookup((t) => this.live?.nullable?.(t, original), live);
    if (nullable !== undefined) return nullable;
    const notNull = this.before.of(live, original).notNull;
    return notNull === undefined ? undefined : !notNull;
  }

  /** The live table whose rows this table holds: also a SQLite table rebuilt under its own name (a copy renamed back). */
  private liveOf(table: TableRef): string | null {
    return this.history.liveTableOf(table) ?? this.history.restoredCopy(tableName(table))?.from ?? null;
  }

  private isNew(live: string, column: string): boolean {
    return this.added.has(`${live}.${column}`.toLowerCase());
  }

  private originalOf(live: string, column: string): string {
    return this.originals.get(`${live}.${column}`.toLowerCase()) ?? column;
  }

  private liveLookup<T>(read: (table: string) => T | undefined, table: string): T | undefined {
    return read(table) ?? (unqualified(table) === table ? undefined : read(unqualified(table)));
  }
}
