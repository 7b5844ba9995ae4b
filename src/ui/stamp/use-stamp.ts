import { useCallback, useRef } from 'react';
import type { Plan, Project, Timeline } from '../../core/index.js';
import { errorText } from '../error-text.js';
import type { Notice } from '../message-bar.js';
import { BASE } from '../timeline/rows.js';

const APPLIED = new Set(['applied', 'modified', 'missing']);

/**
 * `s` on a row: a pending revision is stamped up to (recorded as applied with the pending ones before it); on an
 * applied one (or base) the records after it are forgotten. Plans it and opens the question, or says why there is nothing to do.
 */
export function useStamp(project: Project, timeline: Timeline | null, notify: (n: Notice) => void, ask: (target: string, plan: Plan) => void) {
  const planning = useRef(false);
  return useCallback(
    async (key: string) => {
      const revision = timeline?.revisions.find((r) => r.name === key);
      const target = key === BASE ? 'base' : key;
      const direction = key === BASE || (revision && APPLIED.has(revision.status)) ? 'down' : 'up';
      if (planning.current) return;
      planning.current = true;
      try {
        const plan = await project.plan(direction, target, { recordsOnly: true });
        if (plan.revisions.length > 0) ask(target, plan);
        else
          notify({
            kind: 'info',
            text: target === 'base' ? 'nothing to stamp: nothing is recorded as applied' : `nothing to stamp: ${target} is the current revision`,
          });
      } catch (error) {
        const { line, hint } = errorText(error);
        notify({ kind: 'warning', text: hint ? `${line} — ${hint}` : line });
      } finally {
        planning.current = false;
      }
    },
    [project, timeline, notify, ask],
  );
}
