import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { TestDatabase, TestDialect } from '../helpers/databases.js';
import { copyExample } from '../helpers/project.js';
import { withSql } from '../helpers/sql.js';

/**
 * A copy of the example for a describe block's verify runs, removed after it; `scratch`: the arguments that put
 * SQLite's scratch files in `scratchDir`, where a test can see them (servers keep theirs beside the test database).
 */
export function useVerifyProject(dialect: TestDialect) {
  const project = copyExample();
  const scratchDir = mkdtempSync(join(tmpdir(), 'mui-scratch-'));
  const scratch = dialect === 'sqlite' ? ['--scratch', `sqlite:${scratchDir}`] : [];
  afterAll(() => {
    project.remove();
    rmSync(scratchDir, { recursive: true, force: true });
  });
  return { project, scratchDir, scratch };
}

/** The whole configured database as text (pg_dump, mysqldump) or bytes (SQLite's file), to prove it untouched. */
export function dump(db: TestDatabase): string {
  if (db.dialect === 'sqlite')
    return createHash('sha256')
      .update(readFileSync(db.url.replace(/^sqlite:/, '')))
      .digest('hex');
  const url = new URL(db.url);
  // pg_dump 15.14+ frames its dump with a random \restrict key: the one line that differs between two dumps of the same database.
  if (db.dialect === 'postgresql') return execFileSync('pg_dump', ['--no-owner', db.url], { encoding: 'utf8' }).replace(/^\\(un)?restrict .*$/gm, '');
  return execFileSync(
    'mysqldump',
    ['-h', url.hostname, '-P', url.port || '3306', '-u', decodeURIComponent(url.username), '--skip-dump-date', '--routines', url.pathname.slice(1)],
    { encoding: 'utf8' },
  );
}

/** The scratch databases (SQLite: files in `dir`) on the test database's server. */
export async function scratchDatabases(db: TestDatabase, dir?: string): Promise<string[]> {
  if (db.dialect === 'sqlite') return readdirSync(dir!).filter((f) => f.startsWith('migrate_ui_scratch_') && f.endsWith('.sqlite'));
  const sql =
    db.dialect === 'postgresql'
      ? `select datname as name from pg_database where datname like 'migrate\\_ui\\_scratch\\_%'`
      : `select schema_name as name from information_schema.schemata where schema_name like 'migrate\\_ui\\_scratch\\_%'`;
  return withSql(db, async (c) => (await c.query<{ name: string }>(sql)).map((r) => r.name));
}

/** A revision file of `up` and `down` statements, each one addSql. */
export const revisionFile = (name: string, up: string[], down: string[]) => `import { Migration } from '@mikro-orm/migrations';

export class ${name} extends Migration {
  override async up(): Promise<void> {
${up.map((s) => `    this.addSql(${JSON.stringify(s)});`).join('\n')}
  }

  override async down(): Promise<void> {
${down.map((s) => `    this.addSql(${JSON.stringify(s)});`).join('\n')}
  }
}
`;

/** A rebuild of a SQLite table `name` with the columns `columns` (SQLite alters no default and adds no foreign key). */
const rebuild = (name: string, columns: string, copy: string) => [
  `create table ${name}_new (${columns})`,
  `insert into ${name}_new select ${copy} from ${name}`,
  `drop table ${name}`,
  `alter table ${name}_new rename to ${name}`,
];

/**
 * Revisions after the example's: one good (three tables), then deliberately broken ones, each with the schema
 * difference verify must report. Keyed by file name (without .ts).
 */
export function brokenRevisions(dialect: TestDatabase['dialect']): Record<string, string> {
  const sqlite = dialect === 'sqlite';
  const files: Record<string, [string[], string[]]> = {
    Migration20260107090000_add_notes: [
      [
        'create table notes (id varchar(255) not null primary key, user_id varchar(255) not null)',
        'create table levels (id varchar(255) not null primary key, level integer not null default 1)',
        'create table links (id varchar(255) not null primary key, user_id varchar(255) not null)',
      ],
      ['drop table links', 'drop table levels', 'drop table notes'],
    ],
    // down() drops the column and forgets the index.
    Migration20260108090000_forget_index: [
      ['alter table notes add column title varchar(255) null', 'create index ix_notes_user_id on notes (user_id)'],
      ['alter table notes drop column title'],
    ],
    // down() takes the default away instead of giving back the old one.
    Migration20260109090000_forget_default: sqlite
      ? [
          rebuild('levels', 'id varchar(255) not null primary key, level integer not null default 2', 'id, level'),
          rebuild('levels', 'id varchar(255) not null primary key, level integer not null', 'id, level'),
        ]
      : [['alter table levels alter column level set default 2'], ['alter table levels alter column level drop default']],
    // down() forgets the foreign key.
    Migration20260110090000_forget_foreign_key: sqlite
      ? [rebuild('links', 'id varchar(255) not null primary key, user_id varchar(255) not null references users (id)', 'id, user_id'), ['select 1']]
      : [['alter table links add constraint links_user_id_foreign foreign key (user_id) references users (id)'], ['select 1']],
    // down() drops a column up() never added.
    Migration20260111090000_drop_unknown_column: [
      ['alter table notes add column rank integer null'],
      ['alter table notes drop column rank', 'alter table features drop column description'],
    ],
    // up() inserts a row down() leaves: the second up() fails.
    Migration20260112090000_not_repeatable: [
      [
        "insert into users (id, name, email, created_at) values ('verify-seed', 'Seed', 'seed@example.com', 0)",
        'alter table notes add column seen integer null',
      ],
      ['alter table notes drop column seen'],
    ],
  };
  return Object.fromEntries(Object.entries(files).map(([name, [up, down]]) => [name, revisionFile(name, up, down)]));
}
