import { useCallback, useRef } from 'react';
import type { Direction, Plan, Project } from '../core/index.js';
import { errorText } from './error-text.js';
import type { Notify } from './use-notices.js';
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
export function useMove(project: Project, notify: Notify, confirm: (direction: Direction, target: string, plan: Plan) => void) {
  const planning = useRef(false);
  return useCallback(
    async (direction: Direction, key: string) => {
      const target = key === BASE ? 'base' : key;
      if (direction === 'up' && key === BASE) return notify({ kind: 'info', text: nothingToDo('up', 'base') });
      if (planning.current) return;
      planning.current = true;
      const say = notify.later();
      try {
        const plan = await project.plan(direction, target);
        if (plan.revisions.length === 0) say({ kind: 'info', text: nothingToDo(direction, target) });
        else confirm(direction, target, plan);
      } catch (error) {
        say({ kind: 'warning', text: messageOf(error) });
      } finally {
        planning.current = false;
      }
    },
    [project, notify, confirm],
  );
}
