import { columns } from '../format.js';
import type { Row } from './rows.js';

/** What a timeline row shows of a revision's name: its slug (the words after the timestamp) and the timestamp's date. */
export interface RevisionLabel {
  slug: string;
  /** `2026-01-04`; '' when the name carries no timestamp. */
  date: string;
}

/** MikroORM's `Migration20260104090000_add_feature_slug`, and the same without the prefix or the slug. */
const STAMPED = /^(?:Migration)?(\d{4})(\d{2})(\d{2})\d{6}(?:[_-]+(.+))?$/;

/** The slug first: two names that differ only at their end (`add_feature_slug`, `add_feature_slug_index`) stay apart. */
export function revisionLabel(name: string): RevisionLabel {
  const match = STAMPED.exec(name);
  if (!match) return { slug: name, date: '' };
  return { slug: match[4] ?? name, date: `${match[1]}-${match[2]}-${match[3]}` };
}

export const BASE_LABEL = 'base — the empty database';
export const CURRENT_TAG = ' ◀ current';

/** Columns of a row, left to right: selection mark and glyph, state word, slug, date, when applied and kind. */
export interface RowLayout {
  state: number;
  name: number;
  date: number;
  tail: number;
  /** Spaces at the end of the row: on a wide terminal the columns stay next to the slugs, not at the far edge. */
  pad: number;
}

/**
 * How a row of `width` columns is shared. The state word and the tail go below 70 and 60 columns; the date goes first,
 * as soon as the longest slug (the current one with its tag) would not fit beside it; a slug is cut only after that.
 */
export function rowLayout(width: number, longest: number): RowLayout {
  const state = width >= 70 ? 9 : 0;
  const tail = width >= 60 ? 19 : 0;
  const room = Math.max(8, width - 4 - state - tail);
  // The date (10 columns) and two spaces, so it does not read as part of the time applied beside it; one if that fits.
  const date = room - 12 >= longest ? 12 : room - 11 >= longest ? 11 : 0;
  const name = Math.min(room - date, Math.max(longest, 24) + 2);
  return { state, name, date, tail, pad: room - date - name };
}

/** The columns the name column needs: the longest slug or base's words, the current one's with its tag. */
export function longestLabel(rows: Row[], current: string | null): number {
  let longest = 0;
  for (const row of rows) {
    const label = row.revision ? revisionLabel(row.revision.name).slug : BASE_LABEL;
    const tag = (row.revision ? row.key === current : current === null) ? CURRENT_TAG.length : 0;
    longest = Math.max(longest, columns(label) + tag);
  }
  return longest;
}
