import type { Database } from '../database.js';
import type { Direction } from '../events.js';
import { MigrateUiError } from '../errors.js';
import { messageLine } from '../orm/index.js';
import { sqlText } from '../failure.js';
import { describeUp } from '../revisions.js';
import { hasDown, instantiate, loadMigrationClass, type MigrationClass } from '../loader.js';
import { dataLossOf, type DataLoss, type SchemaLookup } from '../sql/index.js';
import type { Plan } from '../target.js';
import type { Revision } from '../timeline.js';
import { readSchemaColumns } from './schema-columns.js';
import { createRecordingDriver, type RecordingDriver, type RecordingTarget, targetOf } from './recording-driver.js';

/** How much a loss destroys, read from the database: rows of a table, non-null values of a column. */
export interface MeasuredLoss extends DataLoss {
  /** Rows or values lost; undefined where it cannot be counted (the table does not exist yet). */
  amount?: number;
  /** True when there are more than `amount` (counting stops at a million). */
  atLeast?: boolean;
  /** The table or column is not in the database now (an earlier pending revision, or this one's up, adds it): nothing to count. */
  absent?: boolean;
}

/** One revision, one direction, as it would run on the connected database. */
export interface RevisionPreview {
  name: string;
  direction: Direction;
  /** In order: what it sends itself while its up()/down() runs, then what it queues with addSql(). */
  statements: string[];
  losses: MeasuredLoss[];
  /** Why it cannot run, as a sentence naming it: a broken or missing file, no down(), or its code threw while previewed. */
  error?: string;
  /** An up() its kind describes (a data migration's): what runs before and after its own statements, each in a transaction of its own. */
  parts?: { before: string[]; after: string[] };
}

/** A revision from the timeline, or a migration class that is not a file yet (authoring's live preview). */
export type PreviewSource = { revision: Revision } | { name: string; migration: MigrationClass };

export interface PreviewOptions {
  /** Count what each loss destroys (one bounded count per loss); off for a plain SQL listing. */
  measure?: boolean;
  /** Only the statements: no data loss read (a run asking what a revision does before it starts). */
  statementsOnly?: boolean;
  /** The live schema's columns, where the caller has just read them (verify's snapshot): not read again. */
  live?: SchemaLookup;
}

const COUNT_CAP = 1_000_000;

/**
 * The one preview engine: the statements a revision would run, what data it loses and why it cannot run.
 * The migration gets a driver that records instead of executing, so nothing it does — addSql, execute,
 * knex, the EntityManager — reaches the database. Only the loss counts read from it.
 */
export class PreviewEngine {
  #recorder: Promise<RecordingDriver> | undefined;

  /**
   * Previews for `db`'s database, or, with `target`, for another dialect nobody is connected to (authoring's SQL
   * for the other databases): then nothing is counted and no live schema is consulted.
   */
  constructor(
    private readonly db: Database,
    private readonly target?: RecordingTarget,
  ) {}

  /** Previews each revision of a plan, in order. */
  async previewPlan(plan: Plan, options: PreviewOptions = {}): Promise<RevisionPreview[]> {
    const previews: RevisionPreview[] = [];
    // Read once for the whole plan: a preview changes nothing, so every revision of it sees the same live schema.
    const schema = plan.revisions.length > 0 ? this.#schema() : undefined;
    for (const revision of plan.revisions) previews.push(await this.#preview({ revision }, plan.direction, options, schema));
    return previews;
  }

  /** Previews one revision (or a migration class) in one direction. Never changes the database. */
  preview(source: PreviewSource, direction: Direction, options: PreviewOptions = {}): Promise<RevisionPreview> {
    return this.#preview(source, direction, options);
  }

  #schema(): Promise<SchemaLookup | undefined> | undefined {
    return this.target ? undefined : readSchemaColumns(this.db).catch(() => undefined);
  }

  async #preview(
    source: PreviewSource,
    direction: Direction,
    options: PreviewOptions,
    schema?: Promise<SchemaLookup | undefined>,
  ): Promise<RevisionPreview> {
    const name = 'revision' in source ? source.revision.name : source.name;
    const base: RevisionPreview = { name, direction, statements: [], losses: [] };
    let MigrationClass: MigrationClass;
    try {
      MigrationClass = 'migration' in source ? source.migration : await this.#load(source.revision);
    } catch (error) {
      return { ...base, error: `${name} cannot be loaded: ${reason(error)}` };
    }
    if (direction === 'down' && !hasDown(MigrationClass)) return { ...base, error: `${name} cannot be reverted: it has no down()` };
    this.#recorder ??= createRecordingDriver(this.target ?? targetOf(this.db));
    const recorder = await this.#recorder;
    const migration = instantiate(MigrationClass, recorder.driver, recorder.mikroConfig);
    recorder.take();
    try {
      // A kind whose up() is not simply what it records (a data migration's batches) describes what it adds up to.
      const described = direction === 'up' ? await describeUp(migration, (id) => recorder.driver.getPlatform().quoteIdentifier(id)) : undefined;
      if (described) {
        // What runs before and after its own statements is previewed as any revision's: recorded, and linted for loss.
        await described.before();
        const before = recorder.take();
        await described.after();
        const after = recorder.take();
        return {
          ...base,
          statements: [...before, ...described.statements, ...after],
          losses: dataLossOf([...before, ...after], this.target?.dialect ?? this.db.dialect),
          parts: { before, after },
        };
      }
      await migration[direction]();
    } catch (error) {
      return { ...base, statements: recorder.take(), error: `${name} failed in its ${direction}(): ${reason(error)}` };
    }
    const statements = [...recorder.take(), ...migration.getQueries().map(sqlText)];
    if (options.statementsOnly) return { ...base, statements };
    if (this.target) return { ...base, statements, losses: dataLossOf(statements, this.target.dialect) };
    const live = options.live ?? (await (schema ?? this.#schema()));
    const losses = dataLossOf(statements, this.db.dialect, live);
    return { ...base, statements, losses: options.measure ? await this.#measure(losses, live) : losses };
  }

  async #load(revision: Revision): Promise<MigrationClass> {
    if (revision.error || !revision.path) throw new MigrateUiError(revision.error ?? 'its file is missing', 1);
    return loadMigrationClass(revision.path, revision.name);
  }

  /** Counts what exists; a table or column the live schema does not have is `absent`, not counted (SQLite would read a
   * missing "column" in double quotes as a string and count every row). */
  async #measure(losses: DataLoss[], live: SchemaLookup | undefined): Promise<MeasuredLoss[]> {
    return Promise.all(losses.map(async (loss) => (isAbsent(loss, live) ? { ...loss, absent: true } : { ...loss, ...(await this.#count(loss)) })));
  }

  /** A count that stops at a million, so a preview of a huge table stays quick. */
  async #count(loss: DataLoss): Promise<Pick<MeasuredLoss, 'amount' | 'atLeast'>> {
    if (loss.kind === 'schema') return {};
    const [schema, table] = loss.table.includes('.') ? loss.table.split('.', 2) : [undefined, loss.table];
    const from = schema ? `${this.db.quote(schema)}.${this.db.quote(table)}` : this.db.table(table);
    const where = (loss.kind === 'column' || loss.kind === 'values') && loss.column ? ` where ${this.db.quote(loss.column)} is not null` : '';
    try {
      const [row] = await this.db.query<{ n: number | string }>(
        `select count(*) as n from (select 1 as one from ${from}${where} limit ${COUNT_CAP + 1}) counted`,
      );
      const n = Number(row?.n ?? 0);
      return n > COUNT_CAP ? { amount: COUNT_CAP, atLeast: true } : { amount: n };
    } catch {
      return {};
    }
  }
}

/** Whether the live schema, where read, lacks the loss's table or column. */
function isAbsent(loss: DataLoss, live: SchemaLookup | undefined): boolean {
  if (!live || loss.kind === 'schema') return false;
  const columns = live.columns(loss.table.split('.').at(-1)!);
  if (!columns) return true;
  return (loss.kind === 'column' || loss.kind === 'values') && !!loss.column && !columns.some((c) => c.toLowerCase() === loss.column!.toLowerCase());
}

function reason(error: unknown): string {
  if (error instanceof MigrateUiError) return error.message.replace(/^\S+ cannot be loaded: /, '');
  return messageLine(error);
}
