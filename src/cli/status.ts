import type { DataMigrationProgress, Timeline } from '../core/index.js';
import type { Dialect } from '../core/url.js';
import type { CliArgs } from './args.js';
import type { Io } from './report.js';

/** What `status` shows, from an opened Project or from the config cache's light reader alike. */
export interface StatusSource {
  readonly dialect: Dialect;
  readonly config: { readonly displayUrl: string; readonly migrationsDir: string };
  timeline(): Promise<Timeline>;
  dataMigrations(): Promise<DataMigrationProgress[]>;
}

/** Prints `status` (text, or `--json`). */
export async function printStatus(source: StatusSource, args: CliArgs, io: Io): Promise<void> {
  const { palette, statusJson, statusText } = await import('./print.js');
  const p = palette(args.color && io.isTTY);
  const timeline = await source.timeline();
  if (args.json) {
    const { revisionWarnings } = await import('../core/revision-warnings.js');
    const shapes = async () => (await import('../authoring/ops/lint.js')).LINT_SHAPES;
    const warnings = await revisionWarnings(timeline.revisions, source.dialect, shapes);
    io.stdout(JSON.stringify(statusJson(source.dialect, timeline, warnings, await source.dataMigrations()), null, 2));
    return;
  }
  // A revision from a merged branch: the tables it shares with the other branch's (read only when there is one).
  const merged = timeline.revisions.some((r) => r.outOfOrder)
    ? (await import('../core/lint/merged-branch.js')).mergedBranchWarnings(
        timeline.revisions,
        source.dialect,
        (await import('../authoring/ops/lint.js')).LINT_SHAPES,
      )
    : undefined;
  const header = { dialect: source.dialect, database: source.config.displayUrl, migrationsDir: source.config.migrationsDir };
  io.stdout(statusText(p, header, timeline, await source.dataMigrations(), merged));
}
