import { copyFileSync, readdirSync, readlinkSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PG_URL } from '../../helpers/databases.js';
import { plain, press, pressAndWait, waitForFrame } from '../../helpers/ink.js';
import { renderRoot, type SqliteFleet, sqliteFleet, targetRow } from '../../helpers/render-fleet.js';
import { createServerDatabase } from '../../helpers/server-database.js';
import { connectSql, withSql } from '../../helpers/sql.js';
import { useUiExample } from '../../helpers/ui-project.js';
import { useTestDatabase } from '../../helpers/use-database.js';

const SLUG = 'Migration20260104090000_add_feature_slug';

/** The files under `dir` this process holds open now (a deleted one ends in " (deleted)"). */
function openFilesUnder(dir: string): string[] {
  const held: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const path = readlinkSync(`/proc/self/fd/${fd}`);
      if (path.startsWith(dir)) held.push(path);
    } catch {
      // Closed while listed.
    }
  }
  return held;
}

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

// The fleet screen reads its targets through connections kept open between reads: what it shows must still be what
// each target's database holds now, a file deleted or replaced under it included, and nothing stays open after it.
describe('the fleet screen keeps its connections between reads', () => {
  let fleet: SqliteFleet;
  beforeAll(async () => {
    fleet = await sqliteFleet(['fleettui_a', 'fleettui_b', 'fleettui_c']);
    await fleet.up('fleettui_a');
    await fleet.up('fleettui_b');
    // fleettui_c has no file yet: a tenant created while the screen is open.
  });
  afterAll(() => fleet.close());

  test('a SQLite file deleted, replaced or created while the screen is open shows as it is now; none is held open after', async (ctx) => {
    const tenants = join(fleet.example.dir, 'tenants');
    const file = (name: string) => join(tenants, `${name}.sqlite`);
    const app = await renderRoot(fleet.base, fleet.example.dir, { open: true, columns: 100, rows: 24 });
    ctx.onTestFinished(() => app.unmount());
    const { stdin, lastFrame } = app;
    await waitForFrame(
      lastFrame,
      (f) =>
        targetRow(f, 'fleettui_a').includes('at head') &&
        targetRow(f, 'fleettui_b').includes('at head') &&
        targetRow(f, 'fleettui_c').includes('6 pending'),
    );
    expect(openFilesUnder(tenants).length).toBeGreaterThan(0);

    // Deleted: read as a fresh open reads a missing file (nothing applied), and its handle is let go.
    rmSync(file('fleettui_a'));
    let frame = await pressAndWait(stdin, lastFrame, 'r', (f) => targetRow(f, 'fleettui_a').includes('6 pending'));
    expect(targetRow(frame, 'fleettui_a')).toMatch(/^› ○ fleettui_a\s+base\s+6 pending$/);
    await until(() => !openFilesUnder(tenants).some((p) => p.startsWith(file('fleettui_a'))), 'the deleted file is not held open');

    // Replaced by a file that is no database: unreadable; then by another tenant's copy two revisions behind.
    writeFileSync(join(tenants, 'note.txt'), 'this is not a database, it is a note');
    renameSync(join(tenants, 'note.txt'), file('fleettui_b'));
    frame = await pressAndWait(stdin, lastFrame, 'r', (f) => targetRow(f, 'fleettui_b').includes('unreadable'));
    expect(targetRow(frame, 'fleettui_b')).toMatch(/^ {2}\? fleettui_b\s+base\s+unreadable: /);
    await fleet.up('fleettui_c', SLUG);
    copyFileSync(file('fleettui_c'), join(tenants, 'copy.tmp'));
    renameSync(join(tenants, 'copy.tmp'), file('fleettui_b'));
    frame = await pressAndWait(stdin, lastFrame, 'r', (f) => targetRow(f, 'fleettui_b').includes('2 pending'));
    expect(targetRow(frame, 'fleettui_b')).toMatch(/^ {2}○ fleettui_b\s+add_feature_slug\s+2 pending$/);

    // Created after the screen opened (its first reads found no file): read from its file now.
    expect(targetRow(frame, 'fleettui_c')).toMatch(/^ {2}○ fleettui_c\s+add_feature_slug\s+2 pending$/);
    await fleet.up('fleettui_c');
    frame = await pressAndWait(stdin, lastFrame, 'r', (f) => targetRow(f, 'fleettui_c').includes('at head'));
    expect(plain(frame)).toContain('targets  1 at head · 2 pending · 0 running · 0 failed');

    app.unmount();
    await until(() => openFilesUnder(tenants).length === 0, `no file under ${tenants} is held open (${openFilesUnder(tenants).join(', ')})`);
  });
});

// On PostgreSQL the schema targets of one database share a pool, kept while the screen is open.
describe('the fleet screen keeps one pool for the schemas of a database', () => {
  const database = useTestDatabase('postgresql');
  const { example, open } = useUiExample();

  test('a schema dropped shows as it is now, a pool whose connections were ended reads on, and the database can be dropped after', async (ctx) => {
    const db = database(ctx);
    // The tenants' database is not the app's own, so every connection to it is the fleet screen's.
    const tenants = await createServerDatabase('postgresql', PG_URL, 'mui_fleetscreen');
    ctx.onTestFinished(() => tenants.drop());
    const onTenants = { dialect: 'postgresql' as const, url: tenants.url, drop: async () => undefined };
    const connections = async () =>
      Number(
        (await withSql(db, (sql) => sql.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = ?', [tenants.name])))[0]
          .n,
      );
    await withSql(onTenants, async (sql) => {
      await sql.query('create schema fleettui_1');
      await sql.query('create schema fleettui_2');
    });
    writeFileSync(join(example.dir, 'fleet.json'), JSON.stringify({ targets: [{ schemas: 'fleettui\\_%', url: tenants.url }] }));
    const project = await open(db.url);
    const app = await renderRoot(project, example.dir, { open: true, columns: 100, rows: 24, dbUrl: db.url });
    ctx.onTestFinished(() => app.unmount());
    const { stdin, lastFrame } = app;
    await waitForFrame(lastFrame, (f) => ['fleettui_1', 'fleettui_2'].every((name) => targetRow(f, name).includes('6 pending')));
    await pressAndWait(stdin, lastFrame, 'u', 'Fleet up: 12 revisions on 2 of 2 targets');
    await pressAndWait(stdin, lastFrame, 'y', 'fleet up: 2 done, 0 failed, 0 not started', 30_000);
    await waitForFrame(lastFrame, (f) => ['fleettui_1', 'fleettui_2'].every((name) => targetRow(f, name).includes('at head')));

    await withSql(onTenants, (sql) => sql.query('drop schema fleettui_1 cascade'));
    let frame = await pressAndWait(stdin, lastFrame, 'r', (f) => targetRow(f, 'fleettui_1').includes('6 pending'));
    expect(targetRow(frame, 'fleettui_1')).toMatch(/^› ○ fleettui_1\s+base\s+6 pending$/);

    // Every connection of the screen ended by the server: the next reads open the pool again, no row unreadable.
    const shown = app.frames.length;
    await withSql(db, (sql) => sql.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = ?', [tenants.name]));
    await withSql(onTenants, (sql) => sql.query('create schema fleettui_1'));
    await pressAndWait(stdin, lastFrame, 'u', 'Fleet up: 6 revisions on 1 of 2 targets');
    frame = await pressAndWait(
      stdin,
      lastFrame,
      'y',
      (f) => /✓ fleettui_1\s+add_feature_slug_index\s+at head · applied 6$/.test(targetRow(f, 'fleettui_1')),
      30_000,
    );
    expect(targetRow(frame, 'fleettui_2')).toMatch(/✓ fleettui_2\s+add_feature_slug_index\s+at head/);

    // A read cut off by the server while it waits (for a lock another session holds): read again, not unreadable.
    const holder = await connectSql(onTenants);
    await holder.query('begin');
    await holder.query('lock table fleettui_2.mikro_orm_migrations in access exclusive mode');
    press(stdin, 'r');
    const waiting = () =>
      withSql(db, (sql) =>
        sql.query<{ pid: number }>("select pid from pg_stat_activity where datname = ? and wait_event_type = 'Lock'", [tenants.name]),
      );
    await until(async () => (await waiting()).length > 0, 'a read waits for the lock');
    const ended = (await waiting()).map((r) => r.pid);
    await withSql(db, async (sql) => {
      for (const pid of ended) await sql.query('select pg_terminate_backend(?)', [pid]);
    });
    // The target is read again, on a connection of its own, and waits for the lock like the first read.
    await until(async () => (await waiting()).some((r) => !ended.includes(r.pid)), 'the read is tried again');
    await holder.query('commit');
    await holder.close();
    await pressAndWait(stdin, lastFrame, 'r', (f) => targetRow(f, 'fleettui_2').includes('at head'));
    expect(app.frames.slice(shown).filter((f) => /unreadable/.test(plain(f)))).toEqual([]);
    // The next pass keeps a pool again.
    await until(async () => (await connections()) > 0, 'the screen reads through a pool of its own again');

    app.unmount();
    await until(async () => (await connections()) === 0, 'no connection to the tenants database is left');
    // Nobody is connected: PostgreSQL drops it without being forced.
    await withSql(db, (sql) => sql.query(`drop database ${tenants.name}`));
  });
});
