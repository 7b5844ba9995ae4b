import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { type CliResult, startCli } from '../helpers/cli.js';
import { DIALECTS, type TestDatabase } from '../helpers/databases.js';
import { EXAMPLE_REVISIONS } from '../helpers/project.js';
import { useTestDatabase } from '../helpers/use-database.js';
import { brokenRevisions, revisionFile, scratchDatabases, useVerifyProject } from './verify-helpers.js';

/** What a report says, without its timings and scratch names (which differ from run to run). */
function findings(result: CliResult) {
  const report = JSON.parse(result.stdout.replace(/migrate_ui_scratch_\w+/g, 'SCRATCH'));
  return {
    proven: report.proven,
    revisions: report.revisions.map(({ durationMs, ...proof }: { durationMs: number }) => proof),
    notRun: report.notRun,
    entities: report.entities,
  };
}

/** The revision names of the proof lines (✓ or ✗ first), as the text output lists them. */
const proofLines = (stdout: string) => [...stdout.matchAll(/^[✓✗] (Migration\w+) {2}/gm)].map((m) => m[1]);

// verify --concurrency N: the range in N parts proven side by side, each on its own scratch database. What it
// reports is what one part at a time reports, in the range's order; nothing of a part after a failed up() counts.
describe.each(DIALECTS)('verify in parts on %s', (dialect) => {
  const database = useTestDatabase(dialect);
  const { project, scratchDir, scratch } = useVerifyProject(dialect);

  /** Runs the binary to the end, and the scratch databases its process left (none, when it cleaned up). */
  const verify = async (db: TestDatabase, args: string[]) => {
    const running = startCli(['verify', ...args, '--db', db.url, ...scratch], { cwd: project.dir });
    const result = await running.done;
    return { result, left: (await scratchDatabases(db, scratchDir)).filter((n) => n.includes(`_${running.child.pid}_`)) };
  };

  test('three parts report what one does, in the range order, and leave no scratch database', async (ctx) => {
    const db = database(ctx);
    const broken = brokenRevisions(dialect);
    for (const [name, text] of Object.entries(broken)) project.write(`migrations/${name}.ts`, text);
    try {
      // The example's six and six more: parts of 5, 4 and 3, with not-reversible revisions in the second and third.
      const one = await verify(db, ['base..head', '--json', '--concurrency', '1']);
      const three = await verify(db, ['base..head', '--json', '--concurrency', '3']);
      expect(one.result.code, one.result.stderr).toBe(5);
      expect(three.result.code, three.result.stderr).toBe(5);
      expect(findings(three.result)).toEqual(findings(one.result));
      const statuses = findings(three.result).revisions.map((r: { status: string }) => r.status);
      expect(statuses).toEqual([...EXAMPLE_REVISIONS.map(() => 'reversible'), 'reversible', ...Array(4).fill('not-reversible'), 'not-repeatable']);
      expect(three.left).toEqual([]);
      // MariaDB's driver names its connection before the message: left out, the codes after it.
      if (dialect === 'mariadb')
        expect(findings(three.result).revisions.at(-1).failure.message).toBe(
          "Duplicate entry 'verify-seed' for key 'PRIMARY' (error 1062, SQLSTATE 23000)",
        );

      const text = await verify(db, ['base..head', '--concurrency', '3']);
      expect(text.result.code).toBe(5);
      expect(proofLines(text.result.stdout)).toEqual([...EXAMPLE_REVISIONS, ...Object.keys(broken)]);
      expect(text.left).toEqual([]);
    } finally {
      for (const name of Object.keys(broken)) rmSync(join(project.migrationsDir, `${name}.ts`));
    }
  });

  test('an up() that fails in one part: what later parts proved is dropped, their revisions are listed as not run', async (ctx) => {
    const db = database(ctx);
    const table = (n: number) => `create table verify_part_${n} (id integer not null primary key)`;
    const names: string[] = [];
    const add = (n: number, up: string[], down: string[]) => {
      const name = `Migration202601${String(10 + n).padStart(2, '0')}090000_part_${n}`;
      names.push(name);
      project.write(`migrations/${name}.ts`, revisionFile(name, up, down));
    };
    add(0, [table(0), 'insert into verify_part_missing (id) values (1)'], ['drop table verify_part_0']);
    for (let n = 1; n <= 5; n++) add(n, [table(n)], [`drop table verify_part_${n}`]);
    try {
      // Parts of 5, 4 and 3: the failing revision is the second part's second; the third part's three are dropped.
      const one = await verify(db, ['base..head', '--json', '--concurrency', '1']);
      const three = await verify(db, ['base..head', '--json', '--concurrency', '3']);
      expect(three.result.code, three.result.stderr).toBe(5);
      expect(findings(three.result)).toEqual(findings(one.result));
      const report = findings(three.result);
      expect(report.revisions.map((r: { name: string }) => r.name)).toEqual([...EXAMPLE_REVISIONS, names[0]]);
      expect(report.revisions.at(-1)).toMatchObject({ status: 'failed', failure: { step: 'up' } });
      expect(report.notRun).toEqual(names.slice(1));
      expect(three.left).toEqual([]);

      const text = await verify(db, ['base..head', '--concurrency', '3']);
      // A scratch database for each part (a failed up() makes no fresh one).
      expect(new Set([...text.result.stderr.matchAll(/scratch database (\S+)/g)].map((m) => m[1])).size).toBe(3);
      expect(proofLines(text.result.stdout)).toEqual([...EXAMPLE_REVISIONS, names[0]]);
      for (const name of names.slice(1)) expect(text.result.stdout).toContain(`- ${name}  not verified: an earlier revision could not be applied`);
      expect(text.left).toEqual([]);
    } finally {
      for (const name of names) rmSync(join(project.migrationsDir, `${name}.ts`));
    }
  });
});
