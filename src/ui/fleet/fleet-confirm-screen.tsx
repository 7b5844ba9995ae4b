import { Text } from 'ink';
import type { FleetMember, FleetWatch } from '../../core/fleet/fleet-watch.js';
import { plural, wrap } from '../format.js';
import { useScreenKeys } from '../keys/use-key-layers.js';
import { ScreenFrame, useBodyHeight } from '../screen-frame.js';
import { scrollHandlers, TitledScrollView, useScroll } from '../scroll-view.js';
import { revisionLabel } from '../timeline/revision-label.js';

interface Props {
  watch: FleetWatch;
  width: number;
  height: number;
  isActive: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/** What fleet up would do, from the last reading: the targets with pending revisions, and how many. */
export function fleetUpPlan(members: readonly FleetMember[]) {
  const moving = members.filter((m) => (m.reading?.pending ?? 0) > 0);
  const unread = members.filter((m) => !m.reading || m.reading.error);
  const revisions = moving.reduce((sum, m) => sum + (m.reading?.pending ?? 0), 0);
  return { moving, unread, revisions };
}

/** Targets with the same pending revisions, together (hundreds of tenants mostly stand alike), in the fleet's order. */
function samePlans(members: readonly FleetMember[]): { names: string[]; pending: string[] }[] {
  const groups = new Map<string, { names: string[]; pending: string[] }>();
  for (const m of members) {
    const pending = m.reading?.pendingNames ?? [];
    const key = pending.join('\n');
    const group = groups.get(key) ?? { names: [], pending };
    group.names.push(m.target.name);
    groups.set(key, group);
  }
  return [...groups.values()];
}

/** The question before `fleet up`: how many targets and revisions, then each target's pending revisions; y runs, n esc enter cancel. */
export function FleetConfirmScreen({ watch, width, height, isActive, onConfirm, onCancel }: Props) {
  const { offset, scroll } = useScroll();
  const { moving, unread, revisions } = fleetUpPlan(watch.members);
  const atHead = watch.members.length - moving.length - unread.length;
  const title = wrap(
    `Fleet up: ${plural(revisions, 'revision')} on ${moving.length} of ${plural(watch.members.length, 'target')}, ${watch.concurrency} at once; each target under its own lock, one transaction per revision`,
    width,
  ).slice(0, 2);
  // Each group's revisions wrap under it: the question shows every one that will run.
  const wrapped = (text: string) => wrap(text, Math.max(20, width - 4)).map((line, i) => ({ text: i === 0 ? `  ${line}` : `      ${line}` }));
  const lines = [
    ...samePlans(moving).flatMap(({ names, pending }) => {
      const slugs = pending.map((n) => revisionLabel(n).slug).join(', ');
      if (names.length === 1) return wrapped(`○ ${names[0]}  ${pending.length} pending: ${slugs}`);
      const some = names.length > 3 ? `${names.slice(0, 2).join(', ')}, … ${names.at(-1)}` : names.join(', ');
      return wrapped(`○ ${names.length} targets (${some})  ${pending.length} pending each: ${slugs}`);
    }),
    ...unread.map((m) => ({ text: `  ? ${m.target.name}  not read yet or unreadable: fleet up tries it and says what happened`, bold: false })),
    ...(atHead > 0 ? [{ text: `  ✓ ${plural(atHead, 'target')} at head: nothing to do there`, dim: true }] : []),
  ];
  const scrollHeight = Math.max(1, useBodyHeight(height) - title.length - 1);
  const keys = useScreenKeys(
    'fleet-confirm',
    { 'fleet-confirm': { handlers: { ...scrollHandlers(scroll, lines.length, scrollHeight), confirm: onConfirm, cancel: onCancel } } },
    isActive,
  );
  return (
    <ScreenFrame height={height} keys={keys}>
      {() => (
        <TitledScrollView title={title} lines={lines} offset={offset} height={scrollHeight}>
          <Text bold wrap="truncate-end">
            Run fleet up? y yes · n no · enter = no
          </Text>
        </TitledScrollView>
      )}
    </ScreenFrame>
  );
}
