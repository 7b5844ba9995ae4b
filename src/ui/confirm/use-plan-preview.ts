import { useEffect, useState } from 'react';
import type { MeasuredLoss, Plan, Project, RevisionPreview } from '../../core/index.js';

export interface Preview {
  /** One per planned revision, in order; null while it is still being read. */
  items: Array<{ name: string; preview: RevisionPreview | null }>;
  /** Every revision is known (its SQL, or why it cannot run): the confirmation may be answered. */
  ready: boolean;
  losses: Array<MeasuredLoss & { revision: string }>;
}

/** Loads what every revision of a plan would run and lose on the connected database (the core's preview engine). */
export function usePlanPreview(project: Project, plan: Plan): Preview {
  const [previews, setPreviews] = useState<RevisionPreview[]>([]);
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let cancelled = false;
    setPreviews([]);
    setReady(false);
    (async () => {
      const loaded: RevisionPreview[] = [];
      for (const revision of plan.revisions) {
        loaded.push(await project.preview({ revision }, plan.direction, { measure: true }));
        if (cancelled) return;
        setPreviews([...loaded]);
      }
      setReady(true);
    })();
    return () => {
      cancelled = true;
    };
  }, [project, plan]);
  const items = plan.revisions.map((r, i) => ({ name: r.name, preview: previews[i] ?? null }));
  const losses = previews.flatMap((p) => p.losses.map((loss) => ({ ...loss, revision: p.name })));
  return { items, ready, losses };
}
