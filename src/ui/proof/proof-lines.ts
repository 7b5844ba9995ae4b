import { describeChange } from '../../core/verify/snapshot.js';
import type { Line } from '../scroll-view.js';
import type { Theme } from '../theme.js';
import type { ProofRequest, ProofState } from './use-proof.js';

const STATUS: Record<string, string> = {
  reversible: 'reversible',
  'not-reversible': 'not reversible',
  'not-repeatable': 'not repeatable',
  'no-down': 'no down()',
  failed: 'failed',
};

/** The proof screen's text: the progress while it runs, then each revision's proof or the diff's changes. */
export function proofLines(request: ProofRequest, state: ProofState, theme: Theme): Line[] {
  const title =
    request.kind === 'verify'
      ? `verify ${request.range} on a scratch database`
      : `diff ${request.from} → ${request.to} (replayed on a scratch database)`;
  const lines: Line[] = [{ text: title, bold: true }, { text: '' }];
  if (state.error) return [...lines, { text: `✗ ${state.error}`, color: theme.error }];
  if (state.verify) {
    for (const proof of state.verify.revisions) {
      const ok = proof.status === 'reversible';
      lines.push({ text: `${ok ? '✓' : '✗'} ${proof.name}  ${STATUS[proof.status]}`, color: ok ? theme.ok : theme.error });
      for (const change of proof.differences) lines.push({ text: `    ${describeChange(change)}` });
      if (proof.failure) lines.push({ text: `    ${proof.failure.step} failed: ${proof.failure.message}`, color: theme.warning });
      if (proof.failure?.statement) lines.push({ text: `      ${proof.failure.statement}`, dim: true });
      for (const loss of proof.dataLost) lines.push({ text: `    down() loses data: ${loss}`, dim: true });
    }
    if (state.verify.entities)
      lines.push({
        text: state.verify.entities.inSync ? '✓ at head, the entities match the schema' : '✗ at head, the entities differ from the schema',
      });
    lines.push(
      { text: '' },
      { text: state.verify.proven ? 'proven' : 'not proven', bold: true, color: state.verify.proven ? theme.ok : theme.error },
    );
    return lines;
  }
  if (state.diff) {
    if (state.diff.changes.length === 0) return [...lines, { text: 'no schema difference', color: theme.ok }];
    for (const change of state.diff.changes) {
      const text = describeChange(change, state.diff.toSnapshot, state.diff.fromSnapshot);
      lines.push({ text, color: change.change === 'added' ? theme.ok : change.change === 'removed' ? theme.error : theme.warning });
    }
    if (state.diff.sql.length)
      lines.push({ text: '' }, { text: `SQL on ${state.diff.dialect}`, bold: true }, ...state.diff.sql.map((text) => ({ text, dim: true })));
    return lines;
  }
  return [...lines, ...state.progress.slice(-200).map((text) => ({ text: `… ${text}`, dim: true }))];
}
