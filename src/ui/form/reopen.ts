import { readWrittenRevision, type WrittenRevision } from '../../authoring/session.js';
import type { Revision } from '../../core/index.js';

/** The revision to reopen in the form, or why it cannot be (an applied revision is never rewritten). */
export async function reopenable(revision: Revision | undefined): Promise<WrittenRevision | string> {
  if (!revision?.path) return 'select a pending revision to edit it in the form (n writes a new one)';
  if (revision.status !== 'pending' && revision.status !== 'broken')
    return `${revision.name} is ${revision.status}: an applied revision is never rewritten; n writes a new one`;
  try {
    return (
      (await readWrittenRevision(revision.path)) ?? `${revision.name} was not written from a spec (by the form or new --spec); edit its file instead`
    );
  } catch {
    return `${revision.name} could not be read`;
  }
}
