import { useEffect, useState } from 'react';
import { dataLossOf, type DataLoss } from '../../core/data-loss.js';
import type { Project } from '../../core/project.js';
import type { Plan } from '../../core/target.js';
import type { Revision } from '../../core/timeline.js';

export interface PreviewItem {
  revision: Revision;
  /** The SQL it will run, in order; null while loading or when it cannot be built. */
  statements: string[] | null;
  /** Why the SQL cannot be shown: the file is broken or missing. */
  error?: string;
  losses: DataLoss[];
}

export interface Preview {
  items: PreviewItem[];
  /** Every statement is known (or known to be unavailable): the confirmation may be answered. */
  ready: boolean;
  losses: Array<DataLoss & { revision: string }>;
}

/** Loads the SQL of every revision of a plan, for the connected dialect (the dry-run machinery), and what it would lose. */
export function usePlanPreview(project: Project, plan: Plan): Preview {
  const [items, setItems] = useState<PreviewItem[]>(() => plan.revisions.map((revision) => ({ revision, statements: null, losses: [] })));
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let cancelled = false;
    (async () => {
      const loaded: PreviewItem[] = [];
      for (const revision of plan.revisions) {
        let item: PreviewItem;
        if (revision.error || !revision.path) {
          item = { revision, statements: null, error: revision.error ?? 'its file is missing', losses: [] };
        } else {
          try {
            const statements = await project.statementsOf(revision, plan.direction);
            item = { revision, statements, losses: dataLossOf(statements) };
          } catch (error) {
            item = { revision, statements: null, error: error instanceof Error ? error.message.split('\n')[0] : String(error), losses: [] };
          }
        }
        loaded.push(item);
        if (cancelled) return;
        setItems([...loaded, ...plan.revisions.slice(loaded.length).map((r) => ({ revision: r, statements: null, losses: [] }))]);
      }
      if (!cancelled) setReady(true);
    })();
    return () => {
      cancelled = true;
    };
  }, [project, plan]);
  const losses = items.flatMap((item) => item.losses.map((loss) => ({ ...loss, revision: item.revision.name })));
  return { items, ready, losses };
}
