import { useCallback, useRef } from 'react';
import type { Direction, Plan, Project } from '../core/index.js';
import { errorText } from './error-text.js';
import type { Notice } from './message-bar.js';
import { BASE } from './timeline/rows.js';

/** What to say when the plan is empty: the database is already there. */
export function nothingToDo(direction: Direction, target: string): string {
  if (direction === 'up')
    return target === 'base'
      ? 'nothing to do: base is below every revision; select a revision to upgrade to'
      : `nothing to do: ${target} is already applied`;
  return target === 'base' ? 'nothing to do: nothing is applied' : `nothing to do: ${target} is already the current revision`;
}

function messageOf(error: unknown): string {
  const { line, hint } = errorText(error);
  return hint ? `${line} — ${hint}` : line;
}

/** `u`/`d` on a row: plans the move (Alembic semantics for down) and opens the confirmation, or says why there is nothing to run. */
export function useMove(project: Project, notify: (n: Notice) => void, confirm: (direction: Direction, target: string, plan: Plan) => void) {
  const planning = useRef(false);
  return useCallback(
    async (direction: Direction, key: string) => {
      const target = key === BASE ? 'base' : key;
      if (direction === 'up' && key === BASE) return notify({ kind: 'info', text: nothingToDo('up', 'base') });
      if (planning.current) return;
      planning.current = true;
      try {
        const plan = await project.plan(direction, target);
        if (plan.revisions.length === 0) notify({ kind: 'info', text: nothingToDo(direction, target) });
        else confirm(direction, target, plan);
      } catch (error) {
        notify({ kind: 'warning', text: messageOf(error) });
      } finally {
        planning.current = false;
      }
    },
    [project, notify, confirm],
  );
}
