import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { FramePacer, type PacerClock } from '../../src/ui/run/frame-pacer.js';

// The run view's frame pacing, on fake timers: a burst of events costs one frame, batches set the pace (at most four
// frames a second, each drawn just after a batch lands), the beat turns the spinner when nothing else draws.
const clock: PacerClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  setInterval: (fn, ms) => setInterval(fn, ms),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
};

describe('FramePacer', () => {
  let frames: { at: number; dirty: boolean }[];
  let pacer: FramePacer;
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
    frames = [];
    pacer = new FramePacer((dirty) => frames.push({ at: Date.now() - 1_000_000, dirty }), clock);
  });
  afterEach(() => {
    pacer.stop();
    vi.useRealTimers();
  });

  test('a burst of events is drawn once, 50 ms after the first', () => {
    for (let i = 0; i < 5; i++) {
      pacer.request();
      vi.advanceTimersByTime(5);
    }
    vi.advanceTimersByTime(100);
    expect(frames).toEqual([{ at: 50, dirty: true }]);
  });

  test('an event soon after a frame waits until 250 ms have passed since it', () => {
    pacer.drawNow();
    vi.advanceTimersByTime(100);
    pacer.request();
    vi.advanceTimersByTime(500);
    expect(frames.map((f) => f.at)).toEqual([0, 250]);
  });

  test('the beat draws every 100 ms while nothing else does, and its frames are not dirty', () => {
    pacer.startBeat();
    vi.advanceTimersByTime(350);
    expect(frames).toEqual([
      { at: 100, dirty: false },
      { at: 200, dirty: false },
      { at: 300, dirty: false },
    ]);
    pacer.stopBeat();
    vi.advanceTimersByTime(500);
    expect(frames).toHaveLength(3);
  });

  test('while batches land every 20 ms, frames come 15 ms after a batch, at most four a second, and the beat stays quiet', () => {
    pacer.startBeat();
    for (let t = 0; t < 2_000; t += 20) {
      pacer.batchLanded();
      pacer.request(true);
      vi.advanceTimersByTime(20);
    }
    const times = frames.map((f) => f.at);
    expect(times.length).toBeGreaterThanOrEqual(7);
    expect(times.length).toBeLessThanOrEqual(9);
    for (const [i, at] of times.entries()) {
      expect(at % 20).toBe(15);
      if (i > 0) expect(at - times[i - 1]).toBeGreaterThanOrEqual(250);
    }
    expect(frames.every((f) => f.dirty)).toBe(true);
  });

  test('when batches stop, the beat takes over again after a second', () => {
    pacer.startBeat();
    pacer.batchLanded();
    vi.advanceTimersByTime(950);
    expect(frames).toHaveLength(0);
    vi.advanceTimersByTime(200);
    expect(frames).toEqual([
      { at: 1_000, dirty: false },
      { at: 1_100, dirty: false },
    ]);
  });

  test('drawNow takes the pending frame with it, and nothing is drawn after stop', () => {
    pacer.request();
    pacer.drawNow();
    vi.advanceTimersByTime(300);
    expect(frames).toEqual([{ at: 0, dirty: true }]);
    pacer.request();
    pacer.startBeat();
    pacer.stop();
    vi.advanceTimersByTime(1_000);
    expect(frames).toHaveLength(1);
  });
});
