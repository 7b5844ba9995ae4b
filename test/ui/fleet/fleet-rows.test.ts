import { describe, expect, test } from 'vitest';
import type { DataMigrationProgress } from '../../../src/core/data/progress-report.js';
import type { FleetMember, TargetRun } from '../../../src/core/fleet/fleet-watch.js';
import type { TargetReading } from '../../../src/core/fleet/status.js';
import { columnWidths, counts, filtered, gridColumns, targetLine, targetView } from '../../../src/ui/fleet/fleet-rows.js';

const SLUG = 'Migration20260104090000_add_feature_slug';
const BACKFILL = 'Migration20260105090000_backfill_feature_slug';

function member(reading: Partial<TargetReading> | null, run: TargetRun | null = null): FleetMember {
  const full: TargetReading | null = reading && {
    target: 't',
    current: SLUG,
    pending: 0,
    lock: null,
    failed: [],
    pendingNames: [],
    data: null,
    ...reading,
  };
  return { target: { name: 'tenant_7' }, reading: full, run };
}

// What a target's row says, from its reading and its part in the rollout: the states without rendering.
describe('a fleet target row', () => {
  test('each state has its glyph, filter class and words', () => {
    const view = (m: FleetMember) => {
      const v = targetView(m);
      return `${v.glyph} ${v.kind} ${v.current} | ${v.detail}`;
    };
    expect(view(member(null))).toBe('… unread … | reading…');
    expect(view(member({}))).toBe('✓ head add_feature_slug | at head');
    expect(view(member({ current: null, pending: 6 }))).toBe('○ pending base | 6 pending');
    expect(view(member({ error: 'connect ECONNREFUSED 127.0.0.1:5432' }))).toBe(
      '? failed add_feature_slug | unreadable: connect ECONNREFUSED 127.0.0.1:5432',
    );
    expect(view(member({ failed: [BACKFILL] }))).toBe('✗ failed add_feature_slug | failed: backfill_feature_slug');
    const lock = { pid: 4242, host: 'db-worker', since: Date.UTC(2026, 0, 1, 10, 2, 11) };
    expect(view(member({ lock }))).toMatch(/^▸ running add_feature_slug \| locked by pid 4242 on db-worker since \d\d:02:11$/);
    expect(view(member({ pending: 2 }, { state: 'queued' }))).toBe('· pending add_feature_slug | waiting its turn');
    expect(view(member({ pending: 2 }, { state: 'running', done: [] }))).toBe('▸ running add_feature_slug | starting');
    expect(view(member({ pending: 2 }, { state: 'running', done: [], current: BACKFILL }))).toBe(
      '▸ running add_feature_slug | → backfill_feature_slug',
    );
    expect(view(member({ pending: 2 }, { state: 'running', done: [], waiting: lock }))).toBe(
      '▸ running add_feature_slug | waiting for the lock held by pid 4242 on db-worker',
    );
    const failure = { revision: BACKFILL, message: 'relation "features" does not exist\nDETAIL: …', exitCode: 1 };
    expect(view(member({ pending: 2 }, { state: 'failed', done: [], failure }))).toBe(
      '✗ failed add_feature_slug | backfill_feature_slug failed: relation "features" does not exist',
    );
    expect(view(member({ pending: 2 }, { state: 'stopped', done: [SLUG], notRun: [BACKFILL] }))).toBe(
      '○ pending add_feature_slug | 2 pending · stopped',
    );
    expect(view(member({ pending: 2 }, { state: 'skipped', reason: 'max-failures' }))).toBe('○ pending add_feature_slug | 2 pending · not started');
    expect(view(member({}, { state: 'done', done: [SLUG, BACKFILL], durationMs: 10 }))).toBe('✓ head add_feature_slug | at head · applied 2');
  });

  test("a data migration running gives the row a bar: from the run's batches, or from the progress table of another process", () => {
    const data = { revision: BACKFILL, rowsDone: 250, rowsTotal: 1000 };
    const ours = targetView(member({ pending: 2 }, { state: 'running', done: [], current: BACKFILL, data }));
    expect(ours.progress).toBe(0.25);
    const line = targetLine(ours, true, 80, { name: 8, current: 16 });
    expect(line).toMatch(/^› ▸ tenant_7 {2}add_feature_slug {2}→ backfill_feature_slug ████ {14}25%$/);
    expect(line.length).toBeLessThanOrEqual(80);
    // Another run's: the lock and the row in migrate_ui_progress.
    const progress: DataMigrationProgress = {
      ...data,
      status: 'running',
      step: 1,
      steps: 1,
      batchSize: 100,
      startedAt: 0,
      updatedAt: 0,
      holder: null,
      stale: false,
      gone: false,
      rows: [],
    };
    const theirs = targetView(member({ lock: { pid: 1, host: 'h', since: 0 }, data: progress }));
    expect(theirs.progress).toBe(0.25);
    expect(theirs.detail).toMatch(/^backfill_feature_slug · locked by pid 1 on h/);
    // Too narrow for a bar: the words only, cut to the width.
    expect(targetLine(ours, false, 40, { name: 8, current: 16 })).toBe('  ▸ tenant_7  add_feature_slug  → backf…');
  });

  test('names that differ only at their ends are shown whole where the details leave room, cut in the middle where not', () => {
    const named = (name: string) => ({ ...targetView({ ...member({ pending: 3 }), target: { name } }), name });
    const views = ['./tenants/acme.sqlite', './tenants/globex.sqlite', './tenants/initech.sqlite'].map(named);
    const wide = columnWidths(views, 80);
    expect(wide.name).toBe('./tenants/initech.sqlite'.length);
    expect(targetLine(views[1], false, 80, wide)).toMatch(/^ {2}○ \.\/tenants\/globex\.sqlite {3}add_feature_slug/);
    // At 40 columns the name gets what the revision and the detail leave (11), and is cut in the middle.
    const narrow = columnWidths(views, 40);
    expect(narrow.name).toBe(11);
    expect(targetLine(views[0], false, 40, narrow)).toBe('  ○ ./ten…qlite  add_fe…_slug  3 pending');
  });

  test('filters and counts; the grid takes two columns a target where the rows hold them, else one', () => {
    const views = [member({}), member({ pending: 1 }), member({ error: 'x' }), member(null)].map(targetView);
    expect(counts(views)).toEqual({ head: 1, pending: 1, running: 0, failed: 1, unread: 1 });
    expect(filtered(views, 'pending').map((v) => v.detail)).toEqual(['1 pending']);
    expect(filtered(views, 'all')).toHaveLength(4);
    expect(gridColumns(300, 80, 10)).toEqual({ perRow: 39, pitch: 2 });
    expect(gridColumns(500, 80, 10)).toEqual({ perRow: 79, pitch: 1 });
  });
});
