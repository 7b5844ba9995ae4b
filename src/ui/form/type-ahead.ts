/** Letters typed within this long of each other refine one search; after a pause a letter starts a new one. */
export const TYPE_AHEAD_PAUSE_MS = 1000;

const startingWith = (choices: string[], typed: string) => choices.findIndex((c) => c.toLowerCase().startsWith(typed.toLowerCase()));

/** Type-ahead in a list: `d` selects the first entry starting with d, `da` refines it, as in a file manager. */
export class TypeAhead {
  private typed = '';
  private at = Number.NEGATIVE_INFINITY;

  /** Forgets the letters typed: a key that moved the selection otherwise starts the next search afresh. */
  reset(): void {
    this.typed = '';
    this.at = Number.NEGATIVE_INFINITY;
  }

  /** The index of the entry the letters typed so far select, or -1 when none starts with them (nothing moves). */
  pick(choices: string[], letter: string, now = Date.now()): number {
    const refined = now - this.at < TYPE_AHEAD_PAUSE_MS ? this.typed + letter : letter;
    this.at = now;
    for (const typed of refined === letter ? [letter] : [refined, letter]) {
      const found = startingWith(choices, typed);
      if (found >= 0) {
        this.typed = typed;
        return found;
      }
    }
    this.typed = '';
    return -1;
  }
}
