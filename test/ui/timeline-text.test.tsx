import { rmSync } from 'node:fs';
import { join } from 'node:path';
import stringWidth from 'string-width';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../../src/core/project.js';
import { revisionLabel, rowLayout } from '../../src/ui/timeline/revision-label.js';
import { frameLines, keys, pressAndWait } from '../helpers/ink.js';
import { renderApp, rowNames, rowOf, shownName, type RenderedApp } from '../helpers/render-app.js';
import { sqlRevision, sqliteExample, type SqliteExample } from '../helpers/ui-project.js';

const SLUG = 'Migration20260104090000_add_feature_slug';
const BACKFILL = 'Migration20260105090000_backfill_feature_slug';
const INDEX = 'Migration20260106090000_add_feature_slug_index';
const LONG = 'Migration20260107090000_add_a_rather_long_column_name_to_the_features_table_for_reports';
const CJK = 'Migration20260108090000_ユーザー一覧を追加';

const rowLines = (frame: string) => frameLines(frame).filter((l) => /^[› ] [✓○?!✗◇] /.test(l));
const statusOf = (frame: string) => frameLines(frame).at(-1) ?? '';

describe('revision labels', () => {
  it('drop the class prefix and the timestamp, keep its date; other names stay whole', () => {
    expect(revisionLabel(SLUG)).toEqual({ slug: 'add_feature_slug', date: '2026-01-04' });
    expect(revisionLabel('20240101120000-init')).toEqual({ slug: 'init', date: '2024-01-01' });
    expect(revisionLabel('Migration20240101120000')).toEqual({ slug: 'Migration20240101120000', date: '2024-01-01' });
    expect(revisionLabel('create_users')).toEqual({ slug: 'create_users', date: '' });
  });

  it('give the date column up first, before any slug is cut', () => {
    expect(rowLayout(100, 30)).toEqual({ state: 9, name: 32, date: 12, tail: 19, pad: 24 });
    expect(rowLayout(100, 60)).toMatchObject({ name: 62, date: 0, pad: 6 });
    expect(rowLayout(60, 20)).toEqual({ state: 0, name: 25, date: 12, tail: 19, pad: 0 });
    expect(rowLayout(60, 26)).toEqual({ state: 0, name: 26, date: 11, tail: 19, pad: 0 });
    expect(rowLayout(60, 30)).toEqual({ state: 0, name: 32, date: 0, tail: 19, pad: 5 });
    expect(rowLayout(60, 50)).toEqual({ state: 0, name: 37, date: 0, tail: 19, pad: 0 });
  });
});

describe('timeline text (SQLite)', () => {
  let env: SqliteExample;
  let project: Project;
  let app: RenderedApp | undefined;

  beforeAll(async () => {
    env = await sqliteExample(SLUG);
    ({ project } = env);
  });
  afterEach(() => {
    app?.unmount();
    app = undefined;
  });
  afterAll(async () => {
    await env.close();
  });

  it('at 60 columns: slugs first, names that differ at the end stay apart, the selected name whole', async () => {
    app = await renderApp(project, { columns: 60, rows: 20 });
    let frame = app.lastFrame()!;
    expect(rowOf(frame, SLUG)).toMatch(/^› ✓ add_feature_slug ◀ current 2026-01-04 just now\s+schema$/);
    expect(rowOf(frame, INDEX)).toMatch(/^ {2}○ add_feature_slug_index\s+2026-01-06\s+schema$/);
    for (const line of rowLines(frame)) expect(line).not.toContain('Migration2026');
    expect(frame).toContain(`selected ${SLUG}`);
    frame = await pressAndWait(app.stdin, app.lastFrame, 'G', `selected ${INDEX}`);
    expect(rowOf(frame, INDEX).startsWith('›')).toBe(true);
  });

  it('at 100 columns: a date column beside the slugs', async () => {
    app = await renderApp(project, { columns: 100, rows: 30 });
    const frame = app.lastFrame()!;
    expect(rowOf(frame, SLUG)).toMatch(/^› ✓ applied {2}add_feature_slug ◀ current\s+2026-01-04 {2}just now\s+schema$/);
    expect(rowOf(frame, BACKFILL)).toMatch(/○ pending {2}backfill_feature_slug\s+2026-01-05\s+data$/);
  });

  it('cuts a long slug in the middle, lays out CJK by display width, and shows either name whole when selected', async () => {
    env.example.addRevision(LONG, sqlRevision(LONG, 'select 1', 'select 1'));
    env.example.addRevision(CJK, sqlRevision(CJK, 'select 1', 'select 1'));
    try {
      app = await renderApp(project, { columns: 60, rows: 20 });
      let frame = await pressAndWait(app.stdin, app.lastFrame, 'r', (f) => rowNames(f).includes(shownName(CJK)));
      const long = rowLines(frame).find((l) => l.includes('add_a_rather'))!;
      expect(long).toMatch(/^ {2}○ add_a_rather_long_…_table_for_reports\s+schema$/);
      for (const line of frameLines(frame)) expect(stringWidth(line), line).toBeLessThanOrEqual(60);
      // The kind column lines up on every row, wide characters or not.
      const kindAt = rowLines(frame)
        .filter((l) => !l.includes('◇'))
        .map((l) => stringWidth(l.replace(/(schema|data)$/, '')));
      expect(new Set(kindAt).size).toBe(1);
      frame = await pressAndWait(app.stdin, app.lastFrame, 'G', `selected ${CJK}`);
      expect(rowOf(frame, CJK)).toMatch(/^› ○ ユーザー一覧を追加 +schema$/);
      // Longer than the terminal is wide: the whole name on two rows.
      frame = await pressAndWait(app.stdin, app.lastFrame, 'k', (f) => f.includes(LONG.slice(0, 60)));
      const at = frameLines(frame).indexOf(LONG.slice(0, 60));
      expect(frameLines(frame)[at + 1]).toBe(LONG.slice(60));
      expect(frameLines(frame).length).toBeLessThanOrEqual(19);
    } finally {
      for (const name of [LONG, CJK]) rmSync(join(env.example.migrationsDir, `${name}.ts`));
    }
  });

  it('opens on the current revision with what comes next in view', async () => {
    // 7 rows (base and six revisions) in a window of 4: the current one and the two pending ones below it show.
    app = await renderApp(project, { columns: 80, rows: 11 });
    const frame = app.lastFrame()!;
    expect(rowNames(frame)).toEqual(['add_features_table', 'add_feature_slug', 'backfill_feature_slug', 'add_feature_slug_index']);
    expect(rowOf(frame, SLUG).startsWith('›')).toBe(true);
    expect(frame).toContain('4–7 of 7');
    // The first move keeps that window.
    const moved = await pressAndWait(app.stdin, app.lastFrame, keys.down, `selected ${BACKFILL}`);
    expect(rowNames(moved)).toEqual(rowNames(frame));
  });

  it('keeps ? help and q quit at 60 columns, and shows every key of the screen at 160 (one column between them)', async () => {
    app = await renderApp(project, { columns: 60, rows: 20 });
    // Tighter (one column between keys) when not every key fits.
    expect(statusOf(app.lastFrame()!)).toBe(' enter  details  u  upgrade  d  downgrade  ?  help  q  quit');
    app.unmount();
    app = await renderApp(project, { columns: 160, rows: 30 });
    expect(statusOf(app.lastFrame()!)).toBe(
      ' enter  details  u  upgrade  d  downgrade  /  filter  n  new  e  edit  w  watch  r  refresh  v  verify  space  mark  =  diff  s  stamp  ?  help  q  quit',
    );
  });

  it('wraps a long message instead of cutting it, and the next action clears it', async () => {
    app = await renderApp(project, { columns: 60, rows: 20 });
    let frame = await pressAndWait(app.stdin, app.lastFrame, 'e', '⚠ ');
    const lines = frameLines(frame);
    const message = lines.slice(
      lines.findIndex((l) => l.startsWith('⚠ ')),
      -1,
    );
    expect(message.length).toBeGreaterThan(1);
    expect(message.map((l) => l.slice(2)).join(' ')).toBe(`${SLUG} is applied: an applied revision is never rewritten; n writes a new one`);
    expect(frameLines(frame).length).toBeLessThanOrEqual(19);
    frame = await pressAndWait(app.stdin, app.lastFrame, 'j', `selected ${BACKFILL}`);
    expect(frame).not.toContain('never rewritten');
  });

  it('clears "cancelled: nothing ran" at the next key that does something', async () => {
    app = await renderApp(project, { columns: 100, rows: 30 });
    await pressAndWait(app.stdin, app.lastFrame, 'j', `selected ${BACKFILL}`);
    await pressAndWait(app.stdin, app.lastFrame, 'u', 'Upgrade');
    await pressAndWait(app.stdin, app.lastFrame, 'n', 'cancelled: nothing ran');
    const frame = await pressAndWait(app.stdin, app.lastFrame, '/', '/ █');
    expect(frame).not.toContain('cancelled');
  });
});
