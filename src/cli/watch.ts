import { ExitCode, type Project } from '../core/index.js';
import { RateTracker } from '../core/data/progress-report.js';
import type { CliArgs } from './args.js';
import { dataMigrationJson, watchLine } from './data-progress.js';
import type { Io } from './report.js';
import { sleep } from '../core/sleep.js';

const EVERY_MS = 1000;

/**
 * `watch`: reads `migrate_ui_progress` once a second, whichever process runs the data migrations, until ctrl-c or
 * SIGTERM. `--json`: one object a line, `{ at, dataMigrations }`; otherwise one text line per data migration.
 */
export async function watch(project: Project, args: CliArgs, io: Io, signal = interrupted()): Promise<number> {
  const rates = new RateTracker();
  while (!signal.aborted) {
    const now = Date.now();
    const progress = await project.dataMigrations();
    const estimates = rates.update(progress, now);
    if (args.json) {
      const dataMigrations = progress.map((d) => dataMigrationJson(d, estimates.get(d.revision)));
      io.stdout(JSON.stringify({ at: new Date(now).toISOString(), dataMigrations }));
    } else {
      const at = new Date(now).toISOString().slice(11, 19);
      if (progress.length === 0) io.stdout(`${at} no data migrations`);
      for (const d of progress) io.stdout(`${at} ${watchLine(d, estimates.get(d.revision) ?? {})}`);
    }
    await sleep(Math.max(0, EVERY_MS - (Date.now() - now)), signal);
  }
  return ExitCode.ok;
}

/** Aborted by the first ctrl-c or SIGTERM: watching ends there, and that is its normal end (exit 0). */
function interrupted(): AbortSignal {
  const controller = new AbortController();
  const stop = () => {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    controller.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return controller.signal;
}
