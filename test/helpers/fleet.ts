import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestDatabase, TestDialect } from './databases.js';
import { withSql } from './sql.js';

/**
 * A fleet of tenants on one dialect, numbered: SQLite files listed in fleet.json, PostgreSQL schemas `PREFIX_N` of
 * the test database found by the pattern `PREFIX\_%`, MariaDB databases `<test db>_PREFIXN` found by a databases
 * pattern. Each knows its targets' names and reads what a target's own tables hold.
 */
export function fleetOn(dialect: TestDialect, db: TestDatabase, dir: string, prefix: string) {
  const dbName = new URL(db.url.startsWith('sqlite:') ? 'file:///x' : db.url).pathname.slice(1);
  const name = (n: number) => (dialect === 'sqlite' ? `${prefix}${n}` : dialect === 'postgresql' ? `${prefix}_${n}` : `${dbName}_${prefix}${n}`);
  const file = (n: number) => join(dir, 'tenants', `${name(n)}.sqlite`);
  const sqliteDb = (n: number): TestDatabase => ({ dialect: 'sqlite', url: `sqlite:${file(n)}`, drop: async () => undefined });
  const members: number[] = [];
  /** Runs SQL against target n's own tables (its file, schema or database). */
  const onTarget = <T>(n: number, fn: (sql: Parameters<Parameters<typeof withSql>[1]>[0], table: (t: string) => string) => Promise<T>) => {
    if (dialect === 'sqlite') return withSql(sqliteDb(n), (sql) => fn(sql, (t) => `"${t}"`));
    const q = (t: string) => (dialect === 'postgresql' ? `"${name(n)}"."${t}"` : `\`${name(n)}\`.\`${t}\``);
    return withSql(db, (sql) => fn(sql, q));
  };
  const writeFleet = () => {
    const targets = dialect === 'sqlite' ? members.map((n) => ({ url: `sqlite:./tenants/${name(n)}.sqlite`, name: name(n) })) : [];
    if (dialect === 'postgresql') targets.push({ schemas: `${prefix}\\_%` } as never);
    if (dialect === 'mariadb') targets.push({ databases: `${dbName}\\_${prefix}%` } as never);
    writeFileSync(join(dir, 'fleet.json'), JSON.stringify({ targets }, null, 2));
  };
  return {
    name,
    /** Makes tenant n (an empty schema or database; a SQLite tenant is only listed) and lists it in the fleet. */
    async add(n: number) {
      members.push(n);
      if (dialect === 'postgresql') await withSql(db, (sql) => sql.query(`create schema ${name(n)}`));
      if (dialect === 'mariadb') await withSql(db, (sql) => sql.query(`create database \`${name(n)}\``));
      if (dialect === 'sqlite') mkdirSync(join(dir, 'tenants'), { recursive: true });
      writeFleet();
    },
    /** The revisions target n's MikroORM table recorded, in order; none where it has no table. */
    history: (n: number) =>
      onTarget(n, (sql, t) => sql.query<{ name: string }>(`select name from ${t('mikro_orm_migrations')} order by id`)).then(
        (rows) => rows.map((r) => String(r.name)),
        () => [] as string[],
      ),
    /** What migrate-ui's side table of target n holds. */
    sideTable: (n: number) =>
      onTarget(n, (sql, t) => sql.query<{ name: string }>(`select name from ${t('migrate_ui_revisions')} order by name`)).then((rows) =>
        rows.map((r) => String(r.name)),
      ),
    /** Whether target n has table `table`. */
    hasTable: (n: number, table: string) =>
      onTarget(n, (sql, t) => sql.query(`select count(*) as c from ${t(table)}`)).then(
        () => true,
        () => false,
      ),
    /** Runs one statement on target n; `table` quotes a table name of it. */
    exec: (n: number, statement: (table: (t: string) => string) => string, params: unknown[] = []) =>
      onTarget(n, (sql, t) => sql.query(statement(t), params)),
    /** A table in the way of the first revision: its create table fails there. */
    block: (n: number) => onTarget(n, (sql, t) => sql.query(`create table ${t('users')} (id integer primary key)`)),
    unblock: (n: number) => onTarget(n, (sql, t) => sql.query(`drop table ${t('users')}`)),
    async cleanup() {
      if (dialect === 'mariadb')
        await withSql(db, async (sql) => Promise.all(members.map((n) => sql.query(`drop database if exists \`${name(n)}\``))));
    },
  };
}

/** The lines of a streamed --json run, parsed. */
export const events = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line));
