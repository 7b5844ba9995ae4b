import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type DataProject, dataProject, freshCounters, progressRow } from '../core/data/data-project.js';
import { BIN, ROOT, startCli } from '../helpers/cli.js';
import type { TestDatabase } from '../helpers/databases.js';
import { waitFor } from '../helpers/processes.js';
import { connectSql, type SqlClient } from '../helpers/sql.js';
import { Tmux } from '../helpers/tmux.js';

// Enough batches (120, each followed by a 100 ms pause) that the run cannot finish while the watcher starts on a
// loaded machine and the test pauses it twice.
const ROWS = 6000;

// `migrate-ui watch`, the real binary in a real terminal, pausing and resuming a backfill that another process runs.
describe('migrate-ui watch in a terminal', () => {
  let dir: string;
  let db: TestDatabase;
  let project: DataProject;
  let sql: SqlClient;
  let tmux: Tmux;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mui-watch-'));
    db = { dialect: 'sqlite', url: `sqlite:${join(dir, 'watch.sqlite')}`, drop: async () => undefined };
    project = dataProject();
    sql = await connectSql(db);
    await freshCounters(sql.query, ROWS);
  });
  afterEach(() => tmux?.kill());
  afterAll(async () => {
    await sql?.close();
    project.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it('watches another process’s backfill: p pauses and resumes it; paused again, its process is killed; up again finishes it from the checkpoint; q exits 0', async () => {
    const name = project.addDataRevision(
      'watched',
      `[{ table: 'counters', set: { counter: 'counter + 1' } }]`,
      '{ initialBatchSize: 50, minBatchSize: 50, maxBatchSize: 50, pauseMs: 100 }',
    );
    const progress = () => progressRow(sql.query, name);
    const cli = ['up', '--config', project.configPath, '--db', db.url];
    const run = startCli(cli);
    await waitFor(async () => ((await progress())?.rowsDone ?? 0) >= 100, 'a few batches');

    tmux = new Tmux();
    tmux.start(`node ${BIN} watch --config ${project.configPath} --db ${db.url}`, { cwd: ROOT, columns: 80, rows: 24 });
    let screen = await tmux.waitFor((s) => s.includes(`› ▶ ${name}  running`) && s.includes('rows/s'), 20_000);
    expect(screen).toMatch(/overall\s+▕█+.*▏\s+\d+%\s+[\d,]+ \/ 6,000 rows/);
    expect(screen).toMatch(/batch 50 · elapsed \d+ s/);
    expect(screen).toContain('p  pause   c  cancel   esc  back   ?  help   q  quit');

    screen = await tmux.press('p', `› ‖ ${name}  paused`);
    expect(screen).toContain('p  resume');
    expect((await progress())?.status).toBe('paused');
    const held = (await progress())!.rowsDone;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await progress())!.rowsDone - held).toBeLessThanOrEqual(50);

    await tmux.press('p', `› ▶ ${name}  running`);
    await waitFor(async () => ((await progress())?.rowsDone ?? 0) >= held + 200, 'rows after resume');

    // Paused again, and the process running it dies (kill -9): nothing is lost, and it is not applied.
    await tmux.press('p', `› ‖ ${name}  paused`);
    run.child.kill('SIGKILL');
    await run.done;
    const killed = (await progress())!;
    expect(killed.rowsDone).toBeLessThan(ROWS);
    expect(Number(Object.values((await sql.query('select count(*) as n from counters where counter = 1'))[0])[0])).toBe(killed.rowsDone);

    // `up` again: it takes the step over and continues from the checkpoint, not from zero.
    const again = startCli(cli);
    screen = await tmux.waitFor(`› ✓ ${name}  done`, 60_000);
    const finished = await again.done;
    expect(finished.code, finished.stderr).toBe(0);
    const firstLine = new RegExp(`${name} step 1/1: ([\\d,]+) / 6,000 rows`).exec(finished.stderr);
    expect(firstLine, finished.stderr).not.toBeNull();
    expect(Number(firstLine![1].replace(/,/g, ''))).toBeGreaterThan(killed.rowsDone);
    expect(screen).toMatch(/overall\s+▕█{10,}▏ 100%\s+6,000 \/ 6,000 rows/);
    // Every row counted exactly once across the two processes.
    expect(Number(Object.values((await sql.query('select count(*) as n from counters where counter <> 1'))[0])[0])).toBe(0);

    await tmux.press('q', 'EXIT=0');
  });
});
