import { useEffect, useMemo, useRef, useState } from 'react';
import type { AuthoredRevision } from '../../authoring/engine.js';
import type { AuthoringSession, RevisionDraft, Rewrite } from '../../authoring/session.js';
import type { Spec } from '../../authoring/spec.js';

/** How long the form waits after the last change before drafting SQL and entity edits (typing stays instant). */
export const DRAFT_DELAY_MS = 120;

export interface FormDraft {
  /** The file and the problems, for exactly what is typed now (the engine's pure part runs on every change). */
  authored: AuthoredRevision | null;
  /** SQL, lint and entity edits of exactly this spec; null while they are being drafted. */
  draft: RevisionDraft | null;
  error: string | null;
}

/**
 * The engine on the form's spec: `author()` at every change, the whole `draft()` once typing pauses. A draft of an
 * older spec is never shown as this one's.
 */
export function useFormDraft(session: AuthoringSession | null, name: string, spec: Spec, options: { now: Date; rewrites?: Rewrite }): FormDraft {
  const key = useMemo(() => JSON.stringify([name, spec]), [name, spec]);
  const authored = useMemo(() => (session ? session.author(name, spec, options.now) : null), [session, name, spec, options.now]);
  const [drafted, setDrafted] = useState<{ key: string; draft: RevisionDraft | null; error: string | null } | null>(null);
  const input = useRef({ name, spec, options });
  input.current = { name, spec, options };
  useEffect(() => {
    if (!session) return;
    let live = true;
    const timer = setTimeout(() => {
      const { name, spec, options } = input.current;
      session
        .draft(name, spec, { now: options.now, rewrites: options.rewrites })
        .then((draft) => live && setDrafted({ key, draft, error: null }))
        .catch((error: Error) => live && setDrafted({ key, draft: null, error: error.message }));
    }, DRAFT_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [session, key]);
  const current = drafted?.key === key ? drafted : null;
  return { authored, draft: current?.draft ?? null, error: current?.error ?? null };
}
