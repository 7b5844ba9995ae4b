import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { frameLines, plain, waitForFrame } from '../../helpers/ink.js';
import { deadPid } from '../../helpers/processes.js';
import { renderApp } from '../../helpers/render-app.js';
import { withSql } from '../../helpers/sql.js';
import { sqliteExample, type SqliteExample } from '../../helpers/ui-project.js';

const BACKFILL = 'Migration20260105090000_backfill_feature_slug';

// Issue 21: a data migration whose process was killed showed "running" (status, the timeline) until its heartbeat
// went stale. Its holder names a process of this machine: when that process is gone, it is interrupted at once.
describe('a data migration whose process is gone', () => {
  let env: SqliteExample;
  const status = () => runCli(['status', '--config', env.example.configPath, '--db', env.db.url]);
  /** The checkpoint a run leaves when it is killed: its steps still marked running, the heartbeat fresh, `holder` its process. */
  const leftBy = (pid: number) =>
    withSql(env.db, async (sql) => {
      await sql.query(
        `update migrate_ui_progress set status = 'running', rows_done = 27, rows_total = 100, updated_at = ?, holder = ? where revision = ?`,
        [Date.now(), `${pid}@${hostname().slice(0, 180)}#0123456789ab`, BACKFILL],
      );
      // Not recorded: a killed run never records its revision.
      await sql.query('delete from mikro_orm_migrations where name >= ?', [BACKFILL]);
      await sql.query('delete from migrate_ui_revisions where name >= ?', [BACKFILL]);
    });

  beforeAll(async () => {
    env = await sqliteExample(BACKFILL);
  });
  afterAll(async () => {
    await env.close();
  });

  it('status says interrupted at once when the holder process has exited, running while it lives', async () => {
    await leftBy(process.pid);
    let result = await status();
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('data migration running: 27 / 100 rows');
    await leftBy(await deadPid());
    result = await status();
    expect(result.stdout).toContain('data migration interrupted (its process is gone; up resumes it): 27 / 100 rows');
    expect(result.stdout).not.toContain('data migration running');
  });

  it('the timeline says interrupted at 27% on its row, and up finishes it', async () => {
    await leftBy(await deadPid());
    const app = await renderApp(env.project);
    // Its row (the note takes the slug's room, cut in the middle): pending, interrupted at 27%, a data migration.
    const row = (f: string) => frameLines(f).find((l) => l.includes('interrupted at 27%')) ?? '';
    const frame = await waitForFrame(app.lastFrame, (f) => row(f) !== '');
    expect(row(frame)).toMatch(/^ {2}○ pending +bac\S*lug · interrupted at 27% +2026-01-05 +data$/);
    expect(plain(frame)).not.toMatch(/running/);
    app.unmount();
    const up = await runCli(['up', '--config', env.example.configPath, '--db', env.db.url]);
    expect(up.code, up.stderr).toBe(0);
    expect((await status()).stdout).not.toContain('data migration');
  });
});
