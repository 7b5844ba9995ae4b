import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { DIALECTS, type TestDialect } from '../helpers/databases.js';
import { copyExample, type TempProject } from '../helpers/project.js';
import { useTestDatabase } from '../helpers/use-database.js';
import { revisionFile } from './verify-helpers.js';

// The paths a proof takes only when something is off. While the catalog texts agree a proof introspects nothing;
// a difference is named from shapes read afterwards (the "before" ones on a scratch replayed to that point), and the
// loss lint reads the live columns only when a down() rebuilds a table.

interface Proof {
  name: string;
  status: string;
  differences: { change: string; kind: string; table: string; name?: string }[];
  dataLost: string[];
}

async function verify(project: TempProject, url: string, files: Record<string, [string[], string[]]>) {
  for (const [name, [up, down]] of Object.entries(files)) project.write(`migrations/${name}.ts`, revisionFile(name, up, down));
  try {
    const result = await runCli(['verify', `${Object.keys(files)[0].replace(/^Migration\d+_/, '')}..`, '--json', '--db', url], {
      cwd: project.dir,
      timeoutMs: 120_000,
    });
    const report = JSON.parse(result.stdout) as { revisions: Proof[] };
    return {
      code: result.code,
      stderr: result.stderr,
      byName: Object.fromEntries(report.revisions.map((r) => [r.name.replace(/^Migration\d+_/, ''), r])),
    };
  } finally {
    for (const name of Object.keys(files)) rmSync(join(project.migrationsDir, `${name}.ts`));
  }
}

describe.each(DIALECTS)('verify: a down() that rebuilds a table, %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const project = copyExample();
  afterAll(() => project.remove());

  test('the column its copy leaves behind is what it loses: the lint asked for the live columns and read them', async (ctx) => {
    const db = database(ctx);
    const levels = 'id varchar(255) not null primary key, level integer not null';
    const { code, stderr, byName } = await verify(project, db.url, {
      Migration20260107090000_add_levels: [[`create table levels (${levels})`], ['drop table levels']],
      Migration20260108090000_levels_note: [
        ['alter table levels add column note varchar(255) null'],
        [
          `create table levels_new (${levels})`,
          'insert into levels_new select id, level from levels',
          'drop table levels',
          'alter table levels_new rename to levels',
        ],
      ],
    });
    expect(code, stderr).not.toBe(1);
    expect(byName.add_levels).toMatchObject({ status: 'reversible', dataLost: ['table levels and its rows'] });
    expect(byName.levels_note.dataLost).toEqual(['column levels.note and its values']);
    // SQLite keeps the rename's text ("levels" quoted), not the shape: introspected, and the same.
    if (dialect !== 'postgresql') expect(byName.levels_note).toMatchObject({ status: 'reversible', differences: [] });
  });
});

/** A revision whose up() adds column `once` the first time and `again` the second: it reads a row its first run left. */
const SECOND_UP_DIFFERS: Record<'postgresql' | 'mariadb', [string[], string[]]> = {
  postgresql: [
    [
      `do $$ begin if exists (select 1 from users where id = 'verify-mark') then alter table notes add column again integer null; else alter table notes add column once integer null; end if; end $$`,
      "insert into users (id, name, email, created_at) values ('verify-mark', 'Mark', 'mark@example.com', 0) on conflict do nothing",
    ],
    ['alter table notes drop column if exists once', 'alter table notes drop column if exists again'],
  ],
  mariadb: [
    [
      "set @ddl = if((select count(*) from users where id = 'verify-mark') > 0, 'alter table notes add column again integer null', 'alter table notes add column once integer null')",
      'prepare ddl from @ddl',
      'execute ddl',
      'deallocate prepare ddl',
      "insert ignore into users (id, name, email, created_at) values ('verify-mark', 'Mark', 'mark@example.com', 0)",
    ],
    ['alter table notes drop column if exists once', 'alter table notes drop column if exists again'],
  ],
};

describe.each(['postgresql', 'mariadb'] as const satisfies TestDialect[])('verify: a second up() that gives another schema, %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const project = copyExample();
  afterAll(() => project.remove());

  test('not repeatable, with its difference; the revisions after it are still proven against the schema it left', async (ctx) => {
    const db = database(ctx);
    const { code, stderr, byName } = await verify(project, db.url, {
      Migration20260107090000_add_notes: [
        ['create table notes (id varchar(255) not null primary key, user_id varchar(255) not null)'],
        ['drop table notes'],
      ],
      Migration20260108090000_second_up_differs: SECOND_UP_DIFFERS[dialect],
      Migration20260109090000_add_tags: [['create table tags (id varchar(255) not null primary key)'], ['drop table tags']],
      Migration20260110090000_forget_index: [
        ['alter table notes add column title varchar(255) null', 'create index ix_notes_user_id on notes (user_id)'],
        ['alter table notes drop column title'],
      ],
      Migration20260111090000_add_labels: [['create table labels (id varchar(255) not null primary key)'], ['drop table labels']],
    });
    expect(code, stderr).toBe(5);
    expect(byName.add_notes.status).toBe('reversible');
    expect(byName.second_up_differs).toMatchObject({
      status: 'not-repeatable',
      differences: [
        { change: 'added', kind: 'column', table: 'notes', name: 'again' },
        { change: 'removed', kind: 'column', table: 'notes', name: 'once' },
      ],
    });
    expect(byName.add_tags).toMatchObject({ status: 'reversible', differences: [] });
    expect(byName.forget_index).toMatchObject({
      status: 'not-reversible',
      differences: [{ change: 'added', kind: 'index', table: 'notes', name: 'ix_notes_user_id' }],
    });
    expect(byName.add_labels).toMatchObject({ status: 'reversible', differences: [] });
  });
});
