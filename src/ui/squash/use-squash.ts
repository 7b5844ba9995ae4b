import { useEffect, useReducer, useRef } from 'react';
import { type SquashPlan, SquashNotProvenError, squashRevisions, type SquashRequest } from '../../authoring/squash.js';
import type { Project } from '../../core/index.js';
import { errorText } from '../error-text.js';
import { INITIAL_SQUASH, squashReducer } from './squash-state.js';

/**
 * The squash of a planned range as `migrate-ui squash` makes it: drafted at once on a scratch database (the dry run,
 * nothing written), then on `write` written and proven on a fresh one. Hands out the state and `write`.
 */
export function useSquash(project: Project, plan: SquashPlan, cwd: string) {
  const [state, dispatch] = useReducer(squashReducer, INITIAL_SQUASH);
  const live = useRef(true);
  const send: typeof dispatch = (action) => live.current && dispatch(action);
  const request = (dryRun: boolean): SquashRequest => ({
    from: plan.range[0].name,
    to: plan.range.at(-1)!.name,
    name: plan.revision.slice(plan.range.at(-1)!.name.length + 1),
    dryRun,
    scratch: { open: { cwd, configPath: project.config.configPath, env: process.env } },
    onStep: (step) => send({ type: 'step', step }),
  });
  const fail = (error: unknown) => {
    const { line, hint } = errorText(error);
    if (error instanceof SquashNotProvenError) send({ type: 'refused', line, hint, changes: error.changes });
    else send({ type: 'failed', line, hint });
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: one draft per screen; the plan does not change while it is shown
  useEffect(() => {
    live.current = true;
    squashRevisions(project, request(true), plan).then((draft) => send({ type: 'drafted', draft }), fail);
    return () => {
      live.current = false;
    };
  }, []);
  const write = () => {
    if (state.phase !== 'asking') return;
    dispatch({ type: 'write' });
    return squashRevisions(project, request(false), plan).then((squash) => {
      send({ type: 'written', squash });
      return squash;
    }, fail);
  };
  return { state, write };
}
