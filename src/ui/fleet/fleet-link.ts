import type { FleetWatch } from '../../core/fleet/fleet-watch.js';
import type { FleetView } from './fleet-screen.js';

/** What the app knows of the fleet: whether there is one, the fleet once loaded, and the way into a target's timeline and back. */
export interface FleetLink {
  /** A fleet file is there: `F` on the timeline opens the fleet screen. */
  available: boolean;
  /** The fleet, once loaded (read every two seconds from then on). */
  watch: FleetWatch | null;
  /** Loads the fleet (its file read, its patterns listed); rejects with a one-line error. */
  load(): Promise<FleetWatch>;
  /** The fleet screen's filter and selection, kept while a target's timeline is open. */
  view: FleetView;
  /** Opens the target's own project and shows its timeline in place of this app's; rejects when it cannot be opened. */
  enter(target: string): Promise<void>;
  /** Set when the app shows a fleet target's timeline: its name, and what closes it and goes back to the fleet screen. */
  target?: { name: string; back(): void };
}
