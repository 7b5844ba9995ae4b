import { describe, expect, test } from 'vitest';
import { etaSeconds, ProgressEstimator } from '../../../src/core/data/progress-estimator.js';
import { durationText } from '../../../src/ui/duration.js';

// One estimator for the rate and the time left, used by the TUI's run view and watch screen, `watch` and `watch --json`
// and the headless progress lines (issue 19); the clock is injected.

const T = 1_700_000_000_000;

/** An estimator on a clock the test moves. */
function onClock() {
  let now = T;
  const estimator = new ProgressEstimator({ now: () => now });
  return { estimator, at: (ms: number) => (now = T + ms) };
}

describe('ProgressEstimator', () => {
  test('no rate before a whole second has passed; then the rows per second of the time so far', () => {
    const { estimator, at } = onClock();
    estimator.add(1000);
    at(500);
    estimator.add(1000);
    expect(estimator.rate()).toBeUndefined();
    expect(estimator.estimate(10_000, true)).toEqual({});
    at(1200);
    estimator.add(3000);
    // A second has passed: 5,000 rows in 1.2 s (the part of this second gone by counts, with its rows).
    expect(estimator.rate()).toBe(4167);
    at(2000);
    expect(estimator.rate()).toBe(2500);
  });

  test('a second without rows counts: a pause brings the rate down, and old seconds leave the window', () => {
    const { estimator, at } = onClock();
    for (let s = 0; s < 5; s++) {
      at(s * 1000);
      estimator.add(1000);
    }
    at(10_000);
    // 5,000 rows over ten whole seconds, five of them paused.
    expect(estimator.rate()).toBe(500);
    at(15_000);
    // The window is the last ten seconds: every one of them paused.
    expect(estimator.rate()).toBe(0);
    expect(estimator.estimate(1000, true)).toEqual({ rowsPerSecond: 0 });
  });

  test('the ETA is the rows left at that rate, rounded up; paused, no ETA but the rate', () => {
    const { estimator, at } = onClock();
    estimator.add(3000);
    at(1000);
    expect(estimator.estimate(10_000, true)).toEqual({ rowsPerSecond: 3000, etaSeconds: 4 });
    expect(estimator.estimate(10_000, false)).toEqual({ rowsPerSecond: 3000 });
    expect(estimator.estimate(0, true)).toEqual({ rowsPerSecond: 3000, etaSeconds: 0 });
  });

  test('successive reads of a running total: the first read counts nothing, each later one what moved since', () => {
    const { estimator, at } = onClock();
    estimator.observe(50_000);
    at(1000);
    estimator.observe(52_000);
    at(2000);
    estimator.observe(56_000);
    at(3000);
    // Seconds 0, 1, 2: nothing (the rows done before watching), 2,000, 4,000.
    expect(estimator.rate()).toBe(2000);
    estimator.observe(56_000);
    at(4000);
    expect(estimator.rate()).toBe(1500);
  });
});

describe('etaSeconds', () => {
  test('none while nothing moves, without a rate, or before 1% is done where the share is known', () => {
    expect(etaSeconds(1000, 100, true)).toBe(10);
    expect(etaSeconds(1001, 100, true)).toBe(11);
    expect(etaSeconds(1000, 100, false)).toBeUndefined();
    expect(etaSeconds(1000, 0, true)).toBeUndefined();
    expect(etaSeconds(1000, undefined, true)).toBeUndefined();
    expect(etaSeconds(99_000, 100, true, 0.009)).toBeUndefined();
    expect(etaSeconds(99_000, 100, true, 0.01)).toBe(990);
  });
});

describe('durationText', () => {
  test('an ETA, an elapsed time and a measured duration, each as it is read', () => {
    expect([45, 89, 90, 720, 5399, 5400, 9000].map((s) => durationText(s * 1000, 'eta'))).toEqual([
      '45 s',
      '89 s',
      '2 min',
      '12 min',
      '90 min',
      '1.5 h',
      '2.5 h',
    ]);
    expect([12_999, 245_000, 3_720_000].map((ms) => durationText(ms, 'elapsed'))).toEqual(['12 s', '4 min 05 s', '1 h 02 min']);
    expect([12, 999, 4000].map((ms) => durationText(ms, 'precise'))).toEqual(['12 ms', '999 ms', '4.0 s']);
  });
});
