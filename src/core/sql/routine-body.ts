import type { Token } from './tokens.js';

const ROUTINES = new Set(['trigger', 'procedure', 'function', 'event']);
// `END IF`, `END LOOP`… close blocks that were never counted as open.
const UNCOUNTED_BLOCKS = new Set(['if', 'loop', 'while', 'repeat']);
// How far into a CREATE statement the routine keyword may come (`create definer = `a`@`b` trigger`).
const HEADER_TOKENS = 12;

function word(token: Token): string | undefined {
  return token.kind === 'word' ? token.value.toLowerCase() : undefined;
}

/**
 * Follows BEGIN … END nesting in the body of a CREATE TRIGGER (or procedure, function, event), whose
 * inner `;` do not end the statement. Best effort: it counts BEGIN and CASE as openers.
 */
export class RoutineBody {
  private seen = 0;
  private isCreate = false;
  private isRoutine = false;
  private depth = 0;
  private endPending = false;

  /** True while a `;` here would fall inside the body. */
  get open(): boolean {
    return this.depth > 0;
  }

  /** Takes the next token of the statement. */
  see(token: Token): void {
    const keyword = word(token);
    if (this.seen === 0) this.isCreate = keyword === 'create';
    if (this.isCreate && this.seen < HEADER_TOKENS && keyword && ROUTINES.has(keyword)) this.isRoutine = true;
    this.seen++;
    if (!this.isRoutine) return;
    if (this.endPending) {
      this.endPending = false;
      if (keyword && UNCOUNTED_BLOCKS.has(keyword)) return;
      this.depth = Math.max(0, this.depth - 1);
      if (keyword === 'case') return;
    }
    if (keyword === 'begin' || keyword === 'case') this.depth++;
    else if (keyword === 'end' && this.depth > 0) this.endPending = true;
  }
}
