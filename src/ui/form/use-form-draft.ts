import { useEffect, useMemo, useReducer, useRef } from 'react';
import { useLatest } from '../use-latest.js';
import type { AuthoredRevision } from '../../authoring/engine.js';
import type { AuthoringSession, RevisionDraft, Rewrite } from '../../authoring/session.js';
import type { Spec } from '../../authoring/spec.js';

/** How long the form waits after the last change before drafting SQL and entity edits (typing stays instant). */
export const DRAFT_DELAY_MS = 120;

export interface FormDraft {
  /** The file and the problems, for exactly what is typed now (the engine's pure part runs on every change). */
  authored: AuthoredRevision | null;
  /** SQL, lint (and, when asked for, entity edits) of exactly this spec; null while they are being drafted. */
  draft: RevisionDraft | null;
  error: string | null;
}

export interface DraftOptions {
  now: Date;
  rewrites?: Rewrite;
  /** Draft the entity edits too (the Entities tab is open, or the revision is about to be written). */
  entities: boolean;
  /** Something on screen shows the draft now; a draft nothing shows is kept without redrawing. */
  visible: boolean;
}

type Drafted = { key: string; entities: boolean; draft: RevisionDraft | null; error: string | null };

/**
 * The engine on the form's spec: `author()` at every change, the whole `draft()` once typing pauses. A draft of an
 * older spec is never shown as this one's; one with the entity edits serves where they are not needed too. A draft
 * that nothing on screen shows is kept for later, not drawn: its frame would hold back the next key's under the
 * app's frame limit.
 */
export function useFormDraft(session: AuthoringSession | null, name: string, spec: Spec, options: DraftOptions): FormDraft {
  const key = useMemo(() => JSON.stringify([name, spec]), [name, spec]);
  const authored = useMemo(() => (session ? session.author(name, spec, options.now) : null), [session, name, spec, options.now]);
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const drafted = useRef<Drafted | null>(null);
  const input = useLatest({ name, spec, options });
  const have = drafted.current?.key === key ? drafted.current : null;
  const current = have && (have.entities || !options.entities) ? have : null;
  // What to draft now: nothing when the draft at hand serves, else with or without the entity edits.
  const wanted = current ? null : options.entities ? 'with entities' : 'without entities';
  useEffect(() => {
    if (!session || wanted === null) return;
    let live = true;
    const entities = wanted === 'with entities';
    const done = (result: Omit<Drafted, 'key' | 'entities'>) => {
      if (!live) return;
      drafted.current = { key, entities, ...result };
      if (input.current.options.visible) redraw();
    };
    const timer = setTimeout(() => {
      const { name, spec, options } = input.current;
      session
        .draft(name, spec, { now: options.now, rewrites: options.rewrites, entities })
        .then((draft) => done({ draft, error: null }))
        .catch((error: Error) => done({ draft: null, error: error.message }));
    }, DRAFT_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [session, key, wanted, input]);
  return { authored, draft: current?.draft ?? null, error: current?.error ?? null };
}
