import { describe, expect, it } from 'vitest';
import { BatchSizer } from '../../../src/core/data/batch-size.js';
import { isTimeout } from '../../../src/core/orm/index.js';
import * as keyset from '../../../src/core/data/keyset.js';
import { checkStep, resolveBatching } from '../../../src/core/data/steps.js';

describe('batch size', () => {
  const options = resolveBatching({ targetBatchMs: 200, minBatchSize: 100, maxBatchSize: 20_000 });

  it('starts at 1,000 and moves toward a little under the target, at most doubling at once; a slower batch counts at once', () => {
    const sizer = new BatchSizer(options);
    expect(sizer.size).toBe(1000);
    // 1,000 rows in 50 ms: 20,000 rows/s, 3,200 would take 160 ms (eight tenths of the target); doubling caps it at 2,000.
    expect(sizer.observe(1000, 50)).toBe(2000);
    expect(sizer.observe(2000, 100)).toBe(3200);
    // Slower now (3,200 rows in 640 ms = 5,000 rows/s): that rate counts at once, not the smoothed 12,500: 800.
    expect(sizer.observe(3200, 640)).toBe(800);
  });

  it('after a batch twice as slow as foreseen, the next twenty are sized so that one as slow still ends within the target', () => {
    const sizer = new BatchSizer(resolveBatching({ targetBatchMs: 200, minBatchSize: 100, maxBatchSize: 1_000_000 }), 10_000);
    // 100,000 rows/s: 16,000 rows take 160 ms, eight tenths of the target, as foreseen.
    expect(sizer.observe(10_000, 100)).toBe(16_000);
    expect(sizer.observe(16_000, 160)).toBe(16_000);
    // Twice as long as foreseen: its rate counts at once (8,000).
    expect(sizer.observe(16_000, 320)).toBe(8_000);
    // Back at 100,000 rows/s: sized for half the target (10,000 rows, 200 ms if one comes twice as slow again) while
    // that batch is among the last twenty, then for eight tenths again.
    const sizes: number[] = [];
    let size = 8_000;
    for (let i = 0; i < 22; i++) {
      size = sizer.observe(size, size / 100);
      sizes.push(size);
    }
    expect(sizes.slice(12, 20)).toEqual(Array(8).fill(10_000));
    expect(sizes.slice(20)).toEqual([16_000, 16_000]);
  });

  it('stays within its bounds and halves after a timeout', () => {
    const sizer = new BatchSizer(options, 20_000);
    expect(sizer.observe(20_000, 1)).toBe(20_000);
    expect(sizer.halve()).toBe(10_000);
    const slow = new BatchSizer(options, 150);
    expect(slow.observe(150, 10_000)).toBe(100);
    expect(slow.halve()).toBe(100);
  });

  it('knows the timeouts of each database', () => {
    expect(isTimeout({ code: '57014', message: 'canceling statement due to statement timeout' })).toBe(true);
    expect(isTimeout({ errno: 1205, message: 'Lock wait timeout exceeded' })).toBe(true);
    expect(isTimeout({ code: 'SQLITE_BUSY', message: 'database is locked' })).toBe(true);
    expect(isTimeout({ code: '23505', message: 'duplicate key value' })).toBe(false);
  });
});

describe('steps and keyset conditions', () => {
  it('walks a composite key after the last tuple and up to the batch end, in a form an index range serves', () => {
    expect(keyset.after(['a', 'b'], [1, 'x'])).toEqual({ sql: 'a >= ? and (a > ? or (a = ? and (b > ?)))', params: [1, 1, 1, 'x'] });
    expect(keyset.upTo(['a', 'b'], [2, 'y'])).toEqual({ sql: 'a <= ? and (a < ? or (a = ? and (b <= ?)))', params: [2, 2, 2, 'y'] });
    expect(keyset.after(['id'], [5])).toEqual({ sql: 'id > ?', params: [5] });
  });

  it('refuses names that are not plain identifiers, and SQL with placeholders, naming the step and field', () => {
    expect(() => checkStep({ table: 'features; drop table x', set: { slug: 'lower(name)' } }, 0)).toThrow(
      /step 1: table .* is not a plain identifier/,
    );
    expect(() => checkStep({ table: 'features', key: 'id"', set: { slug: '1' } }, 1)).toThrow(/step 2: key/);
    expect(() => checkStep({ table: 'features', set: { 'slug = 1, x': '1' } }, 0)).toThrow(/set column/);
    expect(() => checkStep({ table: 'features', set: { slug: 'lower(?)' } }, 0)).toThrow(/must not contain "\?"/);
    expect(() => checkStep({ table: 'features', key: 'id', set: { id: '1' } }, 0)).toThrow(/key column/);
    expect(() => checkStep({ table: 'features' } as never, 0)).toThrow(/needs either set/);
    expect(checkStep({ table: 'app.features', key: ['a', 'b'], set: { slug: 'lower(name)' } }, 0)).toMatchObject({ key: ['a', 'b'] });
  });
});
