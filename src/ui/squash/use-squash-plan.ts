import { useCallback, useRef } from 'react';
import { planSquash, type SquashPlan } from '../../authoring/squash.js';
import type { Project, Timeline } from '../../core/index.js';
import { errorText } from '../error-text.js';
import type { Notice } from '../message-bar.js';
import { BASE } from '../timeline/rows.js';

/**
 * `S` on a row with another one marked: the range between them, older first, planned as `squash FROM TO` plans it
 * (quick, builds nothing); opens the squash screen, or says in the message bar why not.
 */
export function useSquashPlan(project: Project, timeline: Timeline | null, notify: (n: Notice) => void, open: (plan: SquashPlan) => void) {
  const planning = useRef(false);
  return useCallback(
    async (mark: string | null, key: string) => {
      if (!mark) return notify({ kind: 'warning', text: 'mark one end of the range with space first, then select the other end and press S' });
      if (mark === BASE || key === BASE)
        return notify({ kind: 'warning', text: 'base is no revision: mark and select the first and last revisions to squash' });
      if (mark === key) return notify({ kind: 'warning', text: 'select another revision than the marked one: S squashes the range between them' });
      if (planning.current) return;
      planning.current = true;
      try {
        const index = (name: string) => timeline?.revisions.findIndex((r) => r.name === name) ?? -1;
        const [from, to] = index(mark) <= index(key) ? [mark, key] : [key, mark];
        open(await planSquash(project, { from, to }));
      } catch (error) {
        const { line, hint } = errorText(error);
        notify({ kind: 'warning', text: hint ? `${line} — ${hint}` : line });
      } finally {
        planning.current = false;
      }
    },
    [project, timeline, notify, open],
  );
}
