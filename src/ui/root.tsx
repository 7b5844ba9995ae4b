import { useEffect, useRef, useState } from 'react';
import type { Project, ProjectOptions } from '../core/index.js';
import type { FleetWatch } from '../core/fleet/fleet-watch.js';
import { targetOpener } from '../core/fleet/fleet.js';
import { App, type AppProps } from './app.js';
import type { FleetLink } from './fleet/fleet-link.js';
import type { FleetView } from './fleet/fleet-screen.js';

/** Where the fleet comes from: whether a fleet file is there, and how to load it (the CLI may have loaded it already). */
export interface FleetSource {
  available: boolean;
  load(): Promise<FleetWatch>;
  /** Each target's project opens with these (the config's entities and migrations, the target's database). */
  options: ProjectOptions;
  /** Loaded before the app started (`migrate-ui fleet`): the app opens on the fleet screen. */
  loaded?: FleetWatch;
}

export interface RootProps extends Omit<AppProps, 'fleet' | 'fleetScreen'> {
  fleet?: FleetSource;
}

/**
 * The app, or in its place a fleet target's own app (its project, its timeline, every key) while one is open: esc on
 * that timeline closes the target's project and brings back the fleet screen. The fleet and its rollout live here, so
 * they go on while a target is open.
 */
export function Root({ fleet, ...props }: RootProps) {
  const [watch, setWatch] = useState<FleetWatch | null>(fleet?.loaded ?? null);
  const [opened, setOpened] = useState<{ name: string; project: Project } | null>(null);
  const [onFleet, setOnFleet] = useState(Boolean(fleet?.loaded));
  const view = useRef<FleetView>({ filter: 'all', selected: null }).current;
  // The first read belongs to the first app: one mounted again reads its timeline afresh.
  const remounted = useRef(false);
  const opening = useRef(false);
  const openedRef = useRef(opened);
  openedRef.current = opened;
  useEffect(() => {
    watch?.start();
    return () => watch?.close();
  }, [watch]);
  // Leaving the app with a target open closes its project too.
  useEffect(() => () => void openedRef.current?.project.close().catch(() => undefined), []);

  const link: FleetLink = {
    available: fleet?.available ?? false,
    watch,
    view,
    load: async () => {
      if (watch) return watch;
      if (!fleet) throw new Error('no fleet file');
      const loaded = await fleet.load();
      setWatch(loaded);
      return loaded;
    },
    enter: async (name) => {
      const member = watch?.members.find((m) => m.target.name === name);
      // One target at a time: an enter pressed again while it opens opens nothing more.
      if (!member || !fleet || opening.current) return;
      opening.current = true;
      try {
        const project = await targetOpener(fleet.options)(member.target);
        view.selected = name;
        setOpened({ name, project });
      } finally {
        opening.current = false;
      }
    },
  };
  if (opened) {
    const back = () => {
      remounted.current = true;
      setOpened(null);
      setOnFleet(true);
      void opened.project.close().catch(() => undefined);
    };
    return (
      <App
        key={`target:${opened.name}`}
        {...props}
        project={opened.project}
        first={undefined}
        newRevision={undefined}
        watch={undefined}
        fleet={{ ...link, target: { name: opened.name, back } }}
      />
    );
  }
  // Back from a target: the app opens again on the fleet screen.
  return <App key="base" {...props} first={remounted.current ? undefined : props.first} fleet={link} fleetScreen={onFleet} />;
}
