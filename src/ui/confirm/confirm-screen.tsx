import { useLayoutEffect, useRef } from 'react';
import { Text } from 'ink';
import { describeLoss } from '../../core/preview/describe-loss.js';
import type { Plan, Project } from '../../core/index.js';
import { plural, truncate, wrap } from '../format.js';
import type { Flag } from '../keys/keymap.js';
import { ScreenFrame, useBodyHeight } from '../screen-frame.js';
import { scrollHandlers, TitledScrollView, useScroll } from '../scroll-view.js';
import { useTheme } from '../theme.js';
import { useScreenKeys } from '../keys/use-key-layers.js';
import { confirmLines, confirmTitle } from './confirm-lines.js';
import { usePlanPreview } from './use-plan-preview.js';
import { useCheckpoints } from '../data/use-checkpoints.js';

/** Enter this soon after the question appears was meant for what came before it (a burst of keys, a double press). */
export const ENTER_GUARD_MS = 300;

interface Props {
  project: Project;
  plan: Plan;
  target: string;
  width: number;
  height: number;
  isActive: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/** Shows exactly what will run (revisions and SQL) and what data it loses; y runs, n/esc cancel, enter takes the default. */
export function ConfirmScreen({ project, plan, target, width, height, isActive, onConfirm, onCancel }: Props) {
  const theme = useTheme();
  const preview = usePlanPreview(project, plan);
  const checkpoints = useCheckpoints(project, plan.direction === 'up' ? plan.revisions.map((r) => r.name) : []);
  const { offset, scroll } = useScroll();
  const lossy = preview.losses.length > 0;
  const what = plan.direction === 'up' ? 'Apply' : 'Revert';
  const lost = [...new Set(preview.losses.map((l) => `${describeLoss(l)} (${l.revision})`))];
  const lossText = lossy
    ? [
        '⚠ This loses data:',
        ...(lost.length > 3 ? [...lost.slice(0, 2), `and ${lost.length - 2} more (scroll up to see them in the SQL)`] : lost),
      ].map((t, i) => truncate(i === 0 ? t : `  ${t}`, width))
    : [];
  const title = wrap(confirmTitle(plan.direction, target, plan.revisions.length), width).slice(0, 2);
  const scrollHeight = Math.max(1, useBodyHeight(height) - title.length - 1 - lossText.length);
  const lines = confirmLines(preview, width, theme, checkpoints);
  const flags = new Set<Flag>(preview.ready ? ['ready'] : []);
  // Enter alone runs only one revision that loses nothing; everything else needs y.
  const enterRuns = !lossy && plan.revisions.length === 1;
  const askedAt = useRef<number | null>(null);
  useLayoutEffect(() => {
    if (preview.ready && askedAt.current === null) askedAt.current = Date.now();
  });
  const takeDefault = () => {
    if (askedAt.current === null || Date.now() - askedAt.current < ENTER_GUARD_MS) return;
    (enterRuns ? onConfirm : onCancel)();
  };
  const keys = useScreenKeys(
    'confirm',
    {
      confirm: {
        handlers: {
          ...scrollHandlers(scroll, lines.length, scrollHeight),
          confirm: onConfirm,
          cancel: onCancel,
          default: takeDefault,
        },
        flags,
      },
    },
    isActive,
  );
  const prompt = !preview.ready
    ? 'reading the SQL…'
    : `${what} ${plural(plan.revisions.length, 'revision')}${lossy ? ' and lose that data' : ''}?  y yes · n no · enter = ${enterRuns ? 'yes' : 'no'}`;
  return (
    <ScreenFrame height={height} keys={keys}>
      {() => (
        <TitledScrollView title={title} lines={lines} offset={offset} height={scrollHeight}>
          {lossText.map((t, i) => (
            <Text key={i} color={theme.warning} bold wrap="truncate-end">
              {t}
            </Text>
          ))}
          <Text bold color={lossy ? theme.warning : undefined} wrap="truncate-end">
            {prompt}
          </Text>
        </TitledScrollView>
      )}
    </ScreenFrame>
  );
}
