import { useEffect, useState } from 'react';
import type { Project } from '../../core/index.js';
import type { SchemaDiffReport } from '../../core/verify/schema-diff.js';
import type { VerifyReport } from '../../core/verify/verify.js';

/** What the proof screen runs: verify a RANGE, or diff two schemas. */
export type ProofRequest = { kind: 'verify'; range: string } | { kind: 'diff'; from: string; to: string };

export interface ProofState {
  /** A line per step while it runs. */
  progress: string[];
  verify?: VerifyReport;
  diff?: SchemaDiffReport;
  error?: string;
}

/** Runs the request once on a scratch database (core's verify or diff) and hands out its progress and its result. */
export function useProof(project: Project, request: ProofRequest, cwd: string): ProofState {
  const [state, setState] = useState<ProofState>({ progress: [] });
  // biome-ignore lint/correctness/useExhaustiveDependencies: one run per screen; the request does not change while it is shown
  useEffect(() => {
    let live = true;
    const update = (fn: (s: ProofState) => ProofState) => live && setState(fn);
    const open = { cwd, configPath: project.config.configPath, env: process.env };
    void (async () => {
      try {
        if (request.kind === 'verify') {
          const { verifyRevisions } = await import('../../core/verify/verify.js');
          const report = await verifyRevisions(project, {
            range: request.range,
            open,
            onEvent: (event) => {
              if (event.type === 'verify:step') update((s) => ({ ...s, progress: [...s.progress, `${event.revision}: ${event.step}`] }));
              if (event.type === 'verify:replay') update((s) => ({ ...s, progress: [...s.progress, `replaying ${event.revisions} revision(s)`] }));
            },
          });
          update((s) => ({ ...s, verify: report }));
        } else {
          const { diffSchemas } = await import('../../core/verify/schema-diff.js');
          update((s) => ({ ...s, progress: [`replaying on a scratch database…`] }));
          const report = await diffSchemas(project, request.from, request.to, { open });
          update((s) => ({ ...s, diff: report }));
        }
      } catch (error) {
        update((s) => ({ ...s, error: (error as Error).message.split('\n')[0] }));
      }
    })();
    return () => {
      live = false;
    };
  }, []);
  return state;
}
