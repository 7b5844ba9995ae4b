import { afterAll, describe, expect, test } from 'vitest';
import { readProgress } from '../../src/core/data/progress-store.js';
import { readRecorded } from '../../src/core/history.js';
import { LightReader } from '../../src/core/light-reader.js';
import { listingOf } from '../../src/core/listing-settings.js';
import { acquireLock, readLockHolder } from '../../src/core/lock.js';
import { databaseOf, Project } from '../../src/core/project.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { DIALECTS } from '../helpers/databases.js';
import { useTestDatabase } from '../helpers/use-database.js';

// The config cache's light reader (the client package, no MikroORM) and the project's Database read the same history,
// progress and lock holder through the one DatabaseReader interface.
describe.concurrent.each(DIALECTS)('the light reader against the full Database on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const open: Array<{ close(): Promise<void> }> = [];
  afterAll(async () => {
    for (const thing of open.reverse()) await thing.close().catch(() => undefined);
  });

  test('the history, the progress rows and the lock holder, while a run holds the lock and after it let go', async (ctx) => {
    const db = database(ctx);
    const up = await runCli(['up', '--db', db.url]);
    expect(up.code, up.stderr).toBe(0);
    const project = await Project.open({ cwd: ROOT, dbUrl: db.url, env: {}, readOnly: true });
    open.push(project);
    const listing = listingOf(project)!;
    expect(listing.client.password).toBeUndefined();
    const reader = await LightReader.open(listing.settings, listing.client);
    open.push(reader);
    const full = databaseOf(project);
    expect(reader.dialect).toBe(full.dialect);

    expect(await readRecorded(reader)).toEqual(await readRecorded(full));
    expect((await readRecorded(reader)).applied).toHaveLength(6);
    expect(await readProgress(reader)).toEqual(await readProgress(full));
    expect(await readLockHolder(reader)).toBeNull();

    const session = await full.openSession();
    open.push(session);
    const lock = await acquireLock(session, { timeoutMs: 5000 });
    const holder = await readLockHolder(reader);
    expect(holder).toMatchObject({ pid: process.pid });
    expect(holder).toEqual(await readLockHolder(full));
    await lock.release();
    expect(await readLockHolder(reader)).toBeNull();
  });
});
