import { DDL_LOG_TABLE } from '../check.js';
import type { Database } from '../database.js';
import { pgPrintSql, queryPrepared, skipper, textsOf } from './snapshot.js';

/** Dropped objects that name their table (or are one): address_names is {schema, table, …}. */
const NAMED = `'table', 'view', 'materialized view', 'foreign table', 'table constraint', 'default value'`;

/**
 * PostgreSQL's server tells which tables each DDL statement touched, wherever it came from (a revision's own
 * statements, a function it calls, another connection): event triggers on a scratch database write the tables into
 * DDL_LOG_TABLE, in the same transaction as the statement (a rolled-back revision leaves no entry). A proof then
 * reads the catalog text of those tables alone, and none at all after a move that ran no DDL.
 *
 * What an entry holds: `rel`, a relation still there; `name` (with `schema`), a table or view dropped, or the table a
 * dropped column default or constraint was on; `idx`, a dropped index (its table is found in the text read before);
 * `everything`, a change no table names (a schema renamed, a type altered): the whole text is read again; none of
 * them, a type made or dropped (the enum types' text is read again, as it is with every read).
 */
const INSTALL = [
  `create unlogged table ${DDL_LOG_TABLE} (rel oid, name text, schema text, idx text, everything boolean not null default false)`,
  // At the end of each command: the relations it made or altered, and the tables whose foreign keys reference one
  // (a renamed table or column changes their constraints' text); an index's table; the tables whose columns take
  // their default from a sequence it altered (a renamed sequence changes those defaults' text). CREATE of anything
  // else (a type, a function, a trigger) changes no existing table's text: a table that uses it is altered itself; a
  // type made still gets an entry, for the enum types' text.
  `create function ${DDL_LOG_TABLE}_end() returns event_trigger language plpgsql as $$ begin
insert into ${DDL_LOG_TABLE} (rel, everything)
select r.rel, r.everything
from pg_event_trigger_ddl_commands() d
left join pg_class c on d.classid = 'pg_class'::regclass and c.oid = d.objid
cross join lateral (
  select c.oid as rel, false as everything where c.relkind in ('r', 'p', 'v', 'm', 'f')
  union all select co.conrelid, false from pg_constraint co where c.relkind in ('r', 'p', 'f') and co.confrelid = c.oid
  union all select i.indrelid, false from pg_index i where c.relkind in ('i', 'I') and i.indexrelid = c.oid
  union all select dp.refobjid, false from pg_depend dp
    where c.relkind = 'S' and dp.classid = 'pg_class'::regclass and dp.objid = c.oid and dp.refclassid = 'pg_class'::regclass
  union all select ad.adrelid, false from pg_depend dp join pg_attrdef ad on ad.oid = dp.objid
    where c.relkind = 'S' and dp.classid = 'pg_attrdef'::regclass and dp.refclassid = 'pg_class'::regclass and dp.refobjid = c.oid
  union all select null, false where d.classid = 'pg_type'::regclass and d.command_tag = 'CREATE TYPE'
  union all select null, true
    where (c.relkind is null and d.command_tag not like 'CREATE %') or c.relkind not in ('r', 'p', 'v', 'm', 'f', 'i', 'I', 'S', 'c', 't')
) r;
end $$`,
  // What a command dropped, cascades included: the catalog rows are gone by now, so tables go by name. A dropped
  // sequence, type, function, trigger or rule changes no table's text but through what is listed with it (a column or
  // default dropped by the cascade); a type still gets an entry, for the enum types' text.
  `create function ${DDL_LOG_TABLE}_drop() returns event_trigger language plpgsql as $$ begin
insert into ${DDL_LOG_TABLE} (rel, name, schema, idx, everything)
select case when object_type = 'table column' then objid end,
  case when object_type in (${NAMED}) then address_names[2] end,
  address_names[1],
  case when object_type = 'index' then address_names[2] end,
  object_type not in (${NAMED}, 'table column', 'index', 'type')
from pg_event_trigger_dropped_objects()
where object_type not in ('sequence', 'trigger', 'rule', 'function', 'procedure', 'toast table', 'composite type')
  and not (object_type = 'index' and address_names[1] = 'pg_toast');
end $$`,
  `create event trigger ${DDL_LOG_TABLE}_end on ddl_command_end execute function ${DDL_LOG_TABLE}_end()`,
  `create event trigger ${DDL_LOG_TABLE}_drop on sql_drop execute function ${DDL_LOG_TABLE}_drop()`,
];

/**
 * Puts the DDL log on a scratch database (PostgreSQL): true when it is there. Event triggers need a superuser; where
 * the server refuses, nothing is left behind and proofs read the whole catalog text each time.
 */
export async function logDdl(db: Database): Promise<boolean> {
  if (db.dialect !== 'postgresql') return false;
  try {
    await db.transaction(async (trx) => {
      for (const sql of INSTALL) await db.run(sql, [], trx);
    });
    return true;
  } catch {
    return false;
  }
}

/** Takes the DDL log away: its event triggers first (dropping the rest is DDL too), then its functions and table. */
export async function removeDdlLog(db: Database): Promise<void> {
  await db.transaction(async (trx) => {
    for (const end of ['end', 'drop']) await db.run(`drop event trigger if exists ${DDL_LOG_TABLE}_${end}`, [], trx);
    for (const end of ['end', 'drop']) await db.run(`drop function if exists ${DDL_LOG_TABLE}_${end}()`, [], trx);
    await db.run(`drop table if exists ${DDL_LOG_TABLE}`, [], trx);
  });
}

/**
 * One statement: takes the log's entries and, beside them (`l`), the catalog text of the tables they name or whose
 * oid they hold (under its name now), with every enum type's.
 */
const LOGGED_SQL = `with d as (delete from ${DDL_LOG_TABLE} returning rel, name, schema, idx, everything),
r as (select array(select oid from pg_class where relname in (select name from d union select relname from pg_class where oid in (select rel from d))) as oids)
select true as l, name as t, rel::int8 as o, idx as i, schema as s, everything::text as x from d
union all
select false, p.t::text, p.o, p.i::text, p.s::text, p.x from (${pgPrintSql('(select oids from r)::oid[]')}) p`;

interface Row {
  l?: boolean;
  t: string;
  o: string | number | null;
  i: string | null;
  s: string | null;
  x: string;
}

/**
 * The catalog text of a scratch database with the DDL log (see schemaPrint): the first read is whole; each later one
 * takes the log and the text of the tables it names in one statement, and keeps the others' text. A table the server
 * cannot name (a table renamed since: the name it had; a dropped index's table) is read by name in a second one.
 */
export class LoggedPrint {
  /**
   * Each table's oids (a name may be a table in more than one schema) and each index's table as last read, our own
   * and skipped tables too (a dropped index of theirs must still be found).
   */
  #keyOf = new Map<number, string>();
  #indexes = new Map<string, string>();
  #texts: Map<string, string> | undefined;
  readonly #skip: (table: string) => boolean;

  constructor(private readonly db: Database) {
    this.#skip = skipper(db);
  }

  /** The catalog text now, by table, our own and skipped tables left out; undefined where the catalog cannot be read. */
  async read(): Promise<Map<string, string> | undefined> {
    try {
      if (!this.#texts) return await this.#whole();
      const rows = await queryPrepared<Row>(this.db, 'migrate_ui_schema_print_logged', LOGGED_SQL);
      const log = rows.filter((r) => r.l);
      if (log.length === 0) return this.#texts;
      const named = this.#named(log);
      if (!named) return await this.#whole();
      const fresh = rows.filter((r) => !r.l);
      const read = new Set([...fresh.map((r) => String(r.t)), ...named.logged]);
      const unread = named.known.filter((t) => !read.has(t));
      const more = unread.length
        ? await queryPrepared<Row>(
            this.db,
            'migrate_ui_schema_print_named',
            pgPrintSql('array(select oid from pg_class where relname = any($1::name[]))'),
            [{ text: unread }],
          )
        : [];
      this.#take([...fresh, ...more.filter((r) => r.t)], [...named.logged, ...unread]);
    } catch {
      // A catalog this query does not know: whole snapshots decide.
      this.#texts = undefined;
      return undefined;
    }
    return this.#texts;
  }

  async #whole(): Promise<Map<string, string> | undefined> {
    await this.db.run(`delete from ${DDL_LOG_TABLE}`);
    this.#take(await queryPrepared<Row>(this.db, 'migrate_ui_schema_print', pgPrintSql()));
    return this.#texts;
  }

  /**
   * The tables the log names itself (`logged`), and those only this side knows (`known`: the name an oid had, a dropped
   * index's table); undefined when it names something no table holds.
   */
  #named(log: Row[]): { logged: string[]; known: string[] } | undefined {
    const logged: string[] = [];
    const known: string[] = [];
    for (const entry of log) {
      if (entry.x === 'true') return undefined;
      if (entry.o !== null) {
        const had = this.#keyOf.get(Number(entry.o));
        if (had !== undefined) known.push(had);
      } else if (entry.t !== null) logged.push(String(entry.t));
      else if (entry.i !== null) {
        const table = this.#indexes.get(`${entry.s}.${entry.i}`);
        if (table === undefined) return undefined;
        known.push(table);
      }
    }
    return { logged, known };
  }

  /** Takes the rows read: every table's when `names` is undefined, else those named and those read. */
  #take(rows: Row[], names?: string[]): void {
    const fresh = textsOf(
      rows.map((row) => ({ t: String(row.t), x: String(row.x) })),
      () => false,
    );
    const changed = new Set([...(names ?? []), ...fresh.keys(), '']);
    for (const [oid, table] of this.#keyOf) if (!names || changed.has(table)) this.#keyOf.delete(oid);
    for (const [index, table] of this.#indexes) if (!names || changed.has(table)) this.#indexes.delete(index);
    for (const row of rows) {
      if (!row.t) continue;
      this.#keyOf.set(Number(row.o), String(row.t));
      if (row.i !== null) this.#indexes.set(`${row.s}.${row.i}`, String(row.t));
    }
    const texts = new Map(names ? this.#texts : []);
    for (const table of changed) texts.delete(table);
    for (const [table, text] of fresh) if (!table || !this.#skip(table)) texts.set(table, text);
    this.#texts = texts;
  }
}
