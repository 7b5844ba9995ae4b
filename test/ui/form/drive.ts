import { expect } from 'vitest';
import { keys, plain, press, pressAndWait, waitForFrame } from '../../helpers/ink.js';
import type { RenderedApp } from '../../helpers/render-app.js';

// The form, driven through the keys alone: each step waits for what the person would see before the next key.

export const arrow = { right: '\u001B[C', left: '\u001B[D' } as const;

export type Expected = string | RegExp | ((frame: string) => boolean);

export function step(app: RenderedApp, key: string, expected: Expected): Promise<string> {
  return pressAndWait(app.stdin, app.lastFrame, key, typeof expected === 'string' ? (f: string) => plain(f).includes(expected) : expected);
}

/** The line of the focused field ("› label   value"). */
export function focusedField(frame: string): string {
  return (
    plain(frame)
      .split('\n')
      .find((l) => /^› \S/.test(l) && !/^› +\d+ /.test(l)) ?? ''
  );
}

/** Presses enter until the focused field's label is `label` (fields are asked in order). */
export async function enterUntil(app: RenderedApp, label: string): Promise<string> {
  for (let i = 0; i < 12; i++) {
    const frame = app.lastFrame() ?? '';
    if (focusedField(frame).startsWith(`› ${label}`)) return frame;
    const before = frame;
    press(app.stdin, keys.enter);
    await waitForFrame(app.lastFrame, (f) => f !== before);
  }
  throw new Error(`no field "${label}" came up; the frame was:\n${app.lastFrame()}`);
}

/** Moves a focused choice with ↓ until it shows `value`. */
export async function chooseValue(app: RenderedApp, value: string): Promise<string> {
  for (let i = 0; i < 20; i++) {
    const frame = app.lastFrame() ?? '';
    if (focusedField(frame).endsWith(` ${value}`)) return frame;
    const before = frame;
    press(app.stdin, keys.down);
    await waitForFrame(app.lastFrame, (f) => f !== before);
  }
  throw new Error(`the choice never showed ${value}; the frame was:\n${app.lastFrame()}`);
}

/** Adds an operation from the menu: a (unless the menu is open), then ↓ to it, then enter; waits for its form. */
export async function addOperation(app: RenderedApp, op: string): Promise<string> {
  // The menu may be open already (a new revision opens it); there `a` would pick addColumn by its first letter.
  const open = plain(app.lastFrame() ?? '').includes('Add an operation');
  let frame = open ? (app.lastFrame() ?? '') : await step(app, 'a', 'Add an operation');
  for (let i = 0; i < 20 && !plain(frame).includes(`› ${op} `); i++) frame = await step(app, keys.down, (f) => f !== frame);
  expect(plain(frame)).toContain(`› ${op} `);
  return step(app, keys.enter, (f) => !plain(f).includes('Add an operation') && focusedField(f) !== '');
}

/** Presses enter until the form is back on the list of columns (the record's remaining fields keep their values). */
export async function finishItem(app: RenderedApp, expected: string): Promise<void> {
  for (let i = 0; i < 10 && !plain(app.lastFrame() ?? '').includes('Columns (columns)'); i++) {
    const before = app.lastFrame();
    press(app.stdin, keys.enter);
    await waitForFrame(app.lastFrame, (f) => f !== before);
  }
  await waitForFrame(app.lastFrame, (f) => plain(f).includes('Columns (columns)') && plain(f).includes(expected));
}

/** Adds a column to createTable's list: a, its name typed, its type chosen, the rest as they come. */
export async function addColumnItem(app: RenderedApp, name: string, type: string): Promise<void> {
  await step(app, 'a', (f) => /^› column\s+a new column name$/.test(focusedField(f)));
  await step(app, name, (f) => focusedField(f).includes(name));
  await step(app, keys.enter, (f) => focusedField(f).startsWith('› type'));
  await chooseValue(app, type);
  await finishItem(app, name);
}
