import type { FleetWatch } from '../../core/fleet/fleet-watch.js';
import { errorText } from '../error-text.js';
import type { Notify } from '../use-notices.js';
import { FleetConfirmScreen, fleetUpPlan } from './fleet-confirm-screen.js';
import type { FleetLink } from './fleet-link.js';
import { FleetScreen } from './fleet-screen.js';
import { rolloutLine } from './use-fleet.js';

interface Props {
  screen: 'fleet' | 'fleet-confirm';
  fleet: FleetLink & { watch: FleetWatch };
  /** Re-renders with each change of the fleet. */
  version: number;
  width: number;
  height: number;
  isActive: boolean;
  lockTimeoutMs: number;
  notify: Notify;
  /** Opens the question before fleet up. */
  onAsk: () => void;
  onBack: () => void;
}

/** The fleet screen and the question before its fleet up, with what their keys do to the fleet. */
export function FleetScreens({ screen, fleet, version, lockTimeoutMs, notify, onAsk, onBack, ...common }: Props) {
  const { watch } = fleet;
  if (screen === 'fleet-confirm')
    return (
      <FleetConfirmScreen
        {...common}
        watch={watch}
        onCancel={() => {
          onBack();
          notify({ kind: 'info', text: 'cancelled: nothing ran' });
        }}
        onConfirm={() => {
          onBack();
          const say = notify.later();
          void watch.up({ lockTimeoutMs }).then(
            (result) => say({ kind: result.failed.length > 0 ? 'error' : 'info', text: rolloutLine(result) }),
            (error: unknown) => say({ kind: 'error', text: errorText(error).line }),
          );
        }}
      />
    );
  return (
    <FleetScreen
      {...common}
      watch={watch}
      version={version}
      view={fleet.view}
      onBack={onBack}
      onOpen={(name) => {
        const say = notify.later();
        void fleet.enter(name).catch((error: unknown) => say({ kind: 'error', text: `cannot open ${name}: ${errorText(error).line}` }));
      }}
      onUp={() => {
        if (watch.running) return notify({ kind: 'info', text: 'fleet up is running: ctrl-c stops it after the current revisions' });
        const plan = fleetUpPlan(watch.members);
        if (plan.revisions === 0 && plan.unread.length === 0) return notify({ kind: 'info', text: 'every target is at head: nothing to run' });
        onAsk();
      }}
    />
  );
}
