import { useState } from 'react';
import { Text } from 'ink';
import type { Plan, Project } from '../../core/index.js';
import { wrap } from '../format.js';
import { useScreenKeys } from '../keys/use-key-layers.js';
import { ScreenFrame, useBodyHeight } from '../screen-frame.js';
import { scrollHandlers, TitledScrollView, useScroll } from '../scroll-view.js';
import { stampPrompt, stampRecordLines, stampTitle } from './stamp-lines.js';

interface Props {
  project: Project;
  plan: Plan;
  target: string;
  lockTimeoutMs: number;
  width: number;
  height: number;
  isActive: boolean;
  onDone: (stamped: string[]) => void;
  onFailed: (error: unknown) => void;
  onCancel: () => void;
}

/**
 * `s`: the records a stamp writes or forgets, as `migrate-ui stamp` lists them; y writes them under the lock (the plan
 * must still be the one shown), n, esc and enter cancel. Nothing runs either way.
 */
export function StampScreen({ project, plan, target, lockTimeoutMs, width, height, isActive, onDone, onFailed, onCancel }: Props) {
  const [writing, setWriting] = useState(false);
  const { offset, scroll } = useScroll();
  const title = wrap(stampTitle(plan, target), width).slice(0, 2);
  const lines = stampRecordLines(plan).map((text) => ({ text }));
  const scrollHeight = Math.max(1, useBodyHeight(height) - title.length - 1);
  const write = () => {
    setWriting(true);
    const confirmed = plan.revisions.map((r) => r.name);
    project.stamp({ target, unapply: plan.direction === 'down', confirmed, lockTimeoutMs }).then((result) => onDone(result.stamped), onFailed);
  };
  const keys = useScreenKeys(
    'stamp',
    { stamp: { handlers: { ...scrollHandlers(scroll, lines.length, scrollHeight), confirm: write, cancel: onCancel } } },
    isActive && !writing,
  );
  return (
    <ScreenFrame height={height} keys={keys}>
      {() => (
        <TitledScrollView title={title} lines={lines} offset={offset} height={scrollHeight}>
          <Text bold wrap="truncate-end">
            {writing ? 'writing the records (waiting for the lock if another run holds it)…' : stampPrompt(plan)}
          </Text>
        </TitledScrollView>
      )}
    </ScreenFrame>
  );
}
