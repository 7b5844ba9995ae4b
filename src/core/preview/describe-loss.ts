import type { MeasuredLoss } from './preview.js';

function amount(loss: MeasuredLoss, noun: string): string {
  const n = loss.amount!;
  return `${loss.atLeast ? 'more than ' : ''}${n.toLocaleString('en-US')} ${noun}${n === 1 && !loss.atLeast ? '' : 's'}`;
}

/** A loss in words, with how much where it was counted: "column features.slug and its 2,000 values". */
export function describeLoss(loss: MeasuredLoss): string {
  if (loss.absent) {
    const what = loss.kind === 'table' || loss.kind === 'rows' ? `table ${loss.table}` : `column ${loss.table}.${loss.column}`;
    return `${what} and what it holds by then (not in the database yet)`;
  }
  const counted = loss.amount !== undefined;
  switch (loss.kind) {
    case 'table':
      if (!counted) return `table ${loss.table} and its rows`;
      return loss.amount === 0 ? `table ${loss.table} (empty)` : `table ${loss.table} and its ${amount(loss, 'row')}`;
    case 'column':
      if (!counted) return `column ${loss.table}.${loss.column} and its values`;
      return loss.amount === 0
        ? `column ${loss.table}.${loss.column} (no values)`
        : `column ${loss.table}.${loss.column} and its ${amount(loss, 'value')}`;
    case 'values':
      if (!counted) return `every value of ${loss.table}.${loss.column}`;
      return `every value of ${loss.table}.${loss.column} (${loss.amount === 0 ? 'none yet' : amount(loss, 'value')})`;
    case 'schema':
      return `schema ${loss.table} and every table in it`;
    default:
      return `every row of ${loss.table}${counted ? ` (${amount(loss, 'row')})` : ''}`;
  }
}
