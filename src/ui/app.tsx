import type { EventEmitter } from 'node:events';
import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { Box, Text } from 'ink';
import type { Direction, Plan, Project } from '../core/index.js';
import { ConfirmScreen } from './confirm/confirm-screen.js';
import { DetailsScreen } from './details/details-screen.js';
import { FormScreen } from './form/form-screen.js';
import { reopenable } from './form/reopen.js';
import { Header, headerHeight } from './header.js';
import { HelpOverlay } from './help-overlay.js';
import type { ProofRequest } from './proof/use-proof.js';
import { currentNotice } from './notices.js';
import { errorText } from './error-text.js';
import { QuitDialog } from './quit-dialog.js';
import { useRouter } from './router.js';
import { RunScreen } from './run/run-screen.js';
import { StampScreen } from './stamp/stamp-screen.js';
import { stampDone } from './stamp/stamp-lines.js';
import { useStamp } from './stamp/use-stamp.js';
import { SquashScreen } from './squash/squash-screen.js';
import { useSquashPlan } from './squash/use-squash-plan.js';
import type { SquashPlan } from '../authoring/squash.js';
import { WatchScreen } from './data/watch-screen.js';
import type { FleetLink } from './fleet/fleet-link.js';
import { fleetHeaderLines } from './fleet/fleet-screen.js';
import { FleetScreens } from './fleet/fleet-screens.js';
import { useFleet } from './fleet/use-fleet.js';
import { ProofScreen } from './proof/proof-screen.js';
import { useRun } from './run/use-run.js';
import { FrameContext } from './screen-frame.js';
import { backgroundOf, makeTheme, ThemeProvider } from './theme.js';
import { useListState } from './timeline/list-state.js';
import { BASE, visibleRows } from './timeline/rows.js';
import { useNotices } from './use-notices.js';
import { useCheckpoints } from './data/use-checkpoints.js';
import { TimelineScreen } from './timeline/timeline-screen.js';
import { useAppKeys } from './keys/use-app-keys.js';
import { KeyRouterContext, useKeyRouter } from './keys/use-key-router.js';
import type { FirstRead } from './first-read.js';
import { useLiveTimeline } from './use-live-timeline.js';
import { useExit } from './use-exit.js';
import { useMove } from './use-move.js';
import { useNow } from './use-now.js';
import { useTerminalSize } from './use-terminal-size.js';

export interface AppProps {
  project: Project;
  color: boolean;
  cwd: string;
  lockTimeoutMs: number;
  /** Called once with the exit code, just before the app unmounts. */
  onExit: (code: number, said?: string) => void;
  /** Emits 'interrupt' for SIGINT/SIGTERM sent from outside (ctrl-c itself arrives as a key). */
  signals?: EventEmitter;
  /** The timeline read while Ink was loading, so the first frame already shows it. */
  first?: FirstRead;
  /** Opens the authoring form at once, with this name typed (`migrate-ui new NAME` in a terminal). */
  newRevision?: string;
  /** Opens the watch screen at once (`migrate-ui watch` in a terminal). */
  watch?: boolean;
  /** The fleet, where there is one: `F` opens its screen; set with `target` when this app shows a fleet target. */
  fleet?: FleetLink;
  /** Opens the fleet screen at once (`migrate-ui fleet` in a terminal, or back from a target's timeline). */
  fleetScreen?: boolean;
}

/** The router: owns the screens, the dialogs, the run and the live timeline, and decides which context reads the keys. */
export function App({ project, color, cwd, lockTimeoutMs, onExit, signals, first, newRevision, watch, fleet, fleetScreen }: AppProps) {
  const { notice, notify, clear: clearNotice } = useNotices();
  const { router: keyRouter, settle } = useKeyRouter(clearNotice);
  const { columns, rows: terminalRows } = useTerminalSize();
  const theme = useMemo(() => makeTheme(color, backgroundOf(process.env)), [color]);
  const {
    screen,
    dialog,
    dispatch: go,
  } = useRouter(
    fleetScreen ? { name: 'fleet' } : watch ? { name: 'watch' } : newRevision === undefined ? undefined : { name: 'form', initialName: newRevision },
  );
  const { state: list, dispatch: dispatchList, latest } = useListState();
  const now = useNow(30_000);
  const refresh = useRef<() => Promise<void>>(async () => {});
  const replan = useRef<(direction: Direction, target: string) => void>(() => {});
  const run = useRun(project, { lockTimeoutMs, onProgress: () => refresh.current(), onPlanChanged: (d, t) => replan.current(d, t) });
  const live = useLiveTimeline(project, { paused: run.running, first });
  const pendingNames = useMemo(() => live.timeline?.revisions.filter((r) => r.status === 'pending').map((r) => r.name) ?? [], [live.timeline]);
  // Read again with each new timeline and at each run's start and end (a cancel leaves the timeline as it was).
  const checkpointsRead = useMemo(() => ({ timeline: live.timeline, running: run.running }), [live.timeline, run.running]);
  const checkpoints = useCheckpoints(project, pendingNames, checkpointsRead);
  const rows = useMemo(() => visibleRows(live.timeline, list.filter, checkpoints), [live.timeline, list.filter, checkpoints]);
  const rollout = useFleet(fleet?.watch ?? null);
  const { leaving, leave, leaveAfterRun } = useExit(run, onExit, signals, fleet?.watch ?? null);
  const running = run.running || rollout.running;

  // The revision space marked: `=` diffs it against the selected one, `v` verifies the range between them.
  const [mark, setMark] = useState<string | null>(null);
  const [unproven, setUnproven] = useState<ReadonlyMap<string, string>>(new Map());
  const marks = useMemo(() => (mark ? new Map([...unproven, [mark, `${unproven.get(mark) ?? ''} ● marked`.trim()]]) : unproven), [mark, unproven]);
  const proof = (request: ProofRequest) => go({ type: 'push', screen: { name: 'proof', request } });
  const point = (key: string) => (key === BASE ? 'base' : key);
  const confirm = useCallback(
    (direction: Direction, target: string, plan: Plan) => go({ type: 'push', screen: { name: 'confirm', direction, target, plan } }),
    [go],
  );
  const move = useMove(project, notify, confirm);
  const askStamp = useCallback((target: string, plan: Plan) => go({ type: 'push', screen: { name: 'stamp', target, plan } }), [go]);
  const stamp = useStamp(project, live.timeline, notify, askStamp);
  const openSquash = useCallback((plan: SquashPlan) => go({ type: 'push', screen: { name: 'squash', plan } }), [go]);
  const squash = useSquashPlan(project, live.timeline, notify, openSquash);
  // useRun is called before the timeline and the move exist: its callbacks reach them through these refs, set in
  // the commit.
  useLayoutEffect(() => {
    refresh.current = () => live.refresh();
    replan.current = (direction, target) => {
      go({ type: 'back' });
      notify({ kind: 'warning', text: 'the plan changed while waiting for the lock; nothing ran — here is what would run now' });
      void move(direction, target === 'base' ? BASE : target);
    };
  });
  const back = () => go({ type: 'back' });
  // A squash being written and proven: leaving now would keep a file its proof has not checked (and a scratch database).
  const squashing = useRef<Promise<unknown> | null>(null);
  const quit = () => {
    if (squashing.current) return notify({ kind: 'info', text: 'the squash is being written and proven: q quits once it is done' });
    return running ? go({ type: 'dialog', dialog: 'quit' }) : leave(0);
  };
  const stop = () => {
    if (!squashing.current) return leaveAfterRun();
    notify({ kind: 'info', text: 'stopping: the app quits once the squash is written and proven (a file that does not prove is removed)' });
    void squashing.current.then(() => leave(0));
  };
  useAppKeys(keyRouter, dialog ?? screen.name, {
    global: { help: () => go({ type: 'dialog', dialog: 'help' }), quit },
    app: { stop },
  });

  const shown = currentNotice({ notice, readError: live.error, lockHolder: live.lockHolder, running: run.running, timeline: live.timeline });
  const frameHeight = terminalRows - 1;
  // The fleet's screens show the fleet in the header: its file and how its targets stand, not the configured database.
  const fleetHeader = (screen.name === 'fleet' || screen.name === 'fleet-confirm') && fleet?.watch ? fleetHeaderLines(fleet.watch, cwd) : undefined;
  const lockHolder = fleetHeader ? null : live.lockHolder;
  const height = frameHeight - headerHeight(lockHolder);
  const active = dialog === null && !leaving;
  const common = { width: columns, height, now, isActive: active };
  const current = live.timeline?.current ?? null;
  const body = (() => {
    switch (screen.name) {
      case 'timeline':
        return (
          <TimelineScreen
            {...common}
            timeline={live.timeline}
            rows={rows}
            list={list}
            latest={latest}
            dispatch={dispatchList}
            onDetails={(key) => go({ type: 'push', screen: { name: 'details', key } })}
            onMove={(direction, key) => void move(direction, key)}
            onRefresh={() => {
              const say = notify.later();
              void live.refresh(true).then(() => say({ kind: 'info', text: 'refreshed: files and database read again' }));
            }}
            onNew={() => go({ type: 'push', screen: { name: 'form' } })}
            onWatch={() => go({ type: 'push', screen: { name: 'watch' } })}
            onFleet={
              fleet?.available && !fleet.target
                ? () => {
                    const say = notify.later();
                    void fleet.load().then(
                      () => go({ type: 'push', screen: { name: 'fleet' } }),
                      (error: unknown) => say({ kind: 'error', text: errorText(error).line }),
                    );
                  }
                : undefined
            }
            onLeave={fleet?.target?.back}
            marks={marks}
            marked={mark !== null}
            onMark={(key) => {
              setMark(key === mark ? null : key);
              notify({
                kind: 'info',
                text: key === mark ? 'mark cleared' : `marked ${point(key)}: select another and press = to diff, v to verify, S to squash between`,
              });
            }}
            onDiff={(key) => {
              if (!mark) return notify({ kind: 'warning', text: 'mark a revision with space first, then select another and press =' });
              proof({ kind: 'diff', from: point(mark), to: point(key) });
            }}
            onVerify={(key) => {
              if (key === BASE) return notify({ kind: 'warning', text: 'select a revision to verify (base has nothing to prove)' });
              const first = mark && mark !== BASE ? mark : key;
              const [a, b] =
                (live.timeline?.revisions.findIndex((r) => r.name === first) ?? 0) <= (live.timeline?.revisions.findIndex((r) => r.name === key) ?? 0)
                  ? [first, key]
                  : [key, first];
              proof({ kind: 'verify', range: a === b ? a : `${a}..${b}` });
            }}
            onStamp={(key) => void stamp(key)}
            onSquash={(key) => void squash(mark, key)}
            onReopen={(key) =>
              void reopenable(live.timeline?.revisions.find((r) => r.name === key)).then((opened) => {
                if (typeof opened === 'string') notify({ kind: 'warning', text: opened });
                else go({ type: 'push', screen: { name: 'form', reopen: opened } });
              })
            }
          />
        );
      case 'details':
        return (
          <DetailsScreen
            {...common}
            project={project}
            current={current}
            revisions={live.timeline?.revisions}
            onBack={back}
            onMove={(direction) => void move(direction, screen.key)}
            revision={live.timeline?.revisions.find((r) => r.name === screen.key) ?? null}
          />
        );
      case 'confirm':
        return (
          <ConfirmScreen
            {...common}
            project={project}
            plan={screen.plan}
            target={screen.target}
            onCancel={() => {
              back();
              notify({ kind: 'info', text: 'cancelled: nothing ran' });
            }}
            onConfirm={() => {
              run.start(
                screen.direction,
                screen.target,
                screen.plan.revisions.map((r) => r.name),
              );
              go({ type: 'replace', screen: { name: 'run' } });
            }}
          />
        );
      case 'stamp':
        return (
          <StampScreen
            {...common}
            project={project}
            plan={screen.plan}
            target={screen.target}
            lockTimeoutMs={lockTimeoutMs}
            onCancel={() => {
              back();
              notify({ kind: 'info', text: 'cancelled: nothing recorded' });
            }}
            onDone={(stamped) => {
              back();
              void live.refresh(true).then(() => notify({ kind: 'info', text: stampDone(screen.plan, stamped) }));
            }}
            onFailed={(error) => {
              back();
              const { line, hint } = errorText(error);
              notify({ kind: 'error', text: hint ? `${line} — ${hint}` : line });
            }}
          />
        );
      case 'squash':
        return (
          <SquashScreen
            {...common}
            project={project}
            plan={screen.plan}
            cwd={cwd}
            onCancel={() => {
              back();
              notify({ kind: 'info', text: 'cancelled: nothing written' });
            }}
            onBack={back}
            onWriting={(done) => {
              const settled: Promise<unknown> = done.finally(() => {
                if (squashing.current === settled) squashing.current = null;
              });
              squashing.current = settled;
            }}
            onWritten={() => {
              // The revisions it replaced are no targets any more: the mark on one of them goes.
              setMark(null);
              void live.refresh(true);
            }}
          />
        );
      case 'form':
        return (
          <FormScreen
            {...common}
            project={project}
            cwd={cwd}
            initialName={screen.initialName}
            reopen={screen.reopen}
            leavesToShell={newRevision !== undefined}
            notify={notify}
            onHelp={() => go({ type: 'dialog', dialog: 'help' })}
            onDone={(written) => {
              // `migrate-ui new NAME` is one task: done with it, the shell comes back.
              if (newRevision !== undefined) return leave(0, written ? `wrote ${written}: migrate-ui up applies it` : 'nothing was written');
              back();
              if (!written) return notify({ kind: 'info', text: 'nothing was written' });
              const say = notify.later();
              void live.refresh(true).then(() => {
                dispatchList({ type: 'select', key: written });
                say({ kind: 'info', text: `wrote ${written}: u applies it (after showing what runs)` });
              });
            }}
          />
        );
      case 'proof':
        return (
          <ProofScreen
            {...common}
            project={project}
            request={screen.request}
            cwd={cwd}
            onBack={back}
            onVerified={(report) =>
              setUnproven((was) => {
                const next = new Map(was);
                for (const r of report.revisions) r.status === 'reversible' ? next.delete(r.name) : next.set(r.name, '✗ not proven');
                return next;
              })
            }
          />
        );
      case 'watch':
        return <WatchScreen {...common} project={project} notify={notify} onBack={back} />;
      case 'fleet':
      case 'fleet-confirm': {
        const watch = fleet?.watch;
        if (!fleet || !watch) return null;
        return (
          <FleetScreens
            {...common}
            screen={screen.name}
            fleet={{ ...fleet, watch }}
            version={rollout.version}
            lockTimeoutMs={lockTimeoutMs}
            notify={notify}
            onAsk={() => go({ type: 'push', screen: { name: 'fleet-confirm' } })}
            onBack={back}
          />
        );
      }
      case 'run':
        return (
          <RunScreen
            {...common}
            run={run.state}
            data={run.data}
            frame={run.frame}
            timeline={live.timeline}
            rows={rows}
            selected={list.selected ?? current ?? BASE}
            onBack={() => (run.running ? notify({ kind: 'info', text: 'a run is in progress: ctrl-c stops it after the current revision' }) : back())}
            onControl={(action) => {
              const say = notify.later();
              void run.control(action).catch((error: unknown) => say({ kind: 'error', text: errorText(error).line }));
            }}
          />
        );
    }
  })();

  if (columns < 40 || terminalRows < 8)
    return (
      <>
        {settle}
        <Text>{`migrate-ui needs at least 40×8 (80×24 is best); this terminal is ${columns}×${terminalRows}. q quits.`}</Text>
      </>
    );
  return (
    <ThemeProvider value={theme}>
      <KeyRouterContext.Provider value={keyRouter}>
        <FrameContext.Provider value={{ notice: shown, width: columns }}>
          <Box flexDirection="column" height={frameHeight} width={columns}>
            {settle}
            <Header
              info={{
                configPath: project.config.configPath,
                cwd,
                dialect: project.dialect,
                database: fleet?.target ? `fleet target ${fleet.target.name} · ${project.config.displayUrl}` : project.config.displayUrl,
              }}
              timeline={live.timeline}
              lockHolder={lockHolder}
              running={run.running}
              width={columns}
              lines={fleetHeader}
            />
            <Box display={dialog ? 'none' : 'flex'} flexDirection="column">
              {body}
            </Box>
            {dialog === 'help' ? (
              <HelpOverlay screen={screen.name} height={height} width={columns} onClose={() => go({ type: 'dialog', dialog: null })} />
            ) : null}
            {dialog === 'quit' ? (
              <QuitDialog
                height={height}
                running={running}
                onStay={() => go({ type: 'dialog', dialog: null })}
                onQuit={() => {
                  go({ type: 'dialog', dialog: null });
                  leaveAfterRun();
                }}
              />
            ) : null}
          </Box>
        </FrameContext.Provider>
      </KeyRouterContext.Provider>
    </ThemeProvider>
  );
}
