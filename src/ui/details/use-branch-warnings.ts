import { useEffect, useState } from 'react';
import type { Dialect, Revision } from '../../core/index.js';

/**
 * The merged-branch lint of one revision: a pending revision from a merged branch that touches a table an applied
 * revision of the other branch changed too. Empty for every other revision (nothing is read for them).
 */
export function useBranchWarnings(revisions: Revision[] | undefined, revision: Revision | null, dialect: Dialect): string[] {
  const [warnings, setWarnings] = useState<string[]>([]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a refreshed timeline hands new objects for the same revisions; read again when the selection or what is applied changes
  useEffect(() => {
    let cancelled = false;
    setWarnings([]);
    if (!revisions || !revision?.outOfOrder) return;
    (async () => {
      const [{ mergedBranchWarnings }, { LINT_SHAPES }] = await Promise.all([
        import('../../core/lint/merged-branch.js'),
        import('../../authoring/ops/lint.js'),
      ]);
      const found = mergedBranchWarnings(revisions, dialect, LINT_SHAPES).get(revision.name) ?? [];
      if (!cancelled) setWarnings(found);
    })().catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [revision?.name, revision?.outOfOrder, revisions?.filter((r) => r.status === 'applied').length, dialect]);
  return warnings;
}
