import { basename } from 'node:path';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useLatest } from '../use-latest.js';
import { Box, Text } from 'ink';
import { AuthoringSession, type WrittenRevision } from '../../authoring/session.js';
import { describeProblem, revisionNameProblem } from '../../authoring/validate.js';
import type { Project } from '../../core/index.js';
import { errorText } from '../error-text.js';
import { plural, truncate } from '../format.js';
import type { Notify } from '../use-notices.js';
import { ScreenFrame, useBodyHeight } from '../screen-frame.js';
import { clampOffset } from '../scroll-view.js';
import { useTheme } from '../theme.js';
import { useScreenKeys } from '../keys/use-key-layers.js';
import { fromOperations, recordProblems, toSpec } from './build.js';
import { records, text, visibleFields } from './fields.js';
import { FormStep } from './form-step.js';
import { currentFrame, initialForm, recordAt, useFormState } from './form-state.js';
import { PreviewPane } from './preview-pane.js';
import { previewLines, previewTabs } from './preview-lines.js';
import { TypeAhead } from './type-ahead.js';
import { choiceContext, fieldProblems } from './record-edit.js';
import { useFormDraft } from './use-form-draft.js';
import { formKeys } from './use-form-keys.js';
import { Muted } from '../muted.js';

interface Props {
  project: Project;
  cwd: string;
  /** The name typed on the command line (`migrate-ui new NAME`). */
  initialName?: string;
  /** A pending revision written from a spec, opened to be written again. */
  reopen?: WrittenRevision;
  /** Opened by `migrate-ui new NAME`: leaving the form leaves the program. */
  leavesToShell?: boolean;
  width: number;
  height: number;
  isActive: boolean;
  notify: Notify;
  onHelp: () => void;
  /** Leaves the form: with the revision written, or with nothing written. */
  onDone: (written?: string) => void;
}

const PREVIEW_MIN = 6;
/** From this many columns the preview stands beside the form instead of under it. */
export const SIDE_BY_SIDE_MIN = 140;

/** The authoring form (DESIGN §5, §7 `n`): a name, operations from a menu, each a short form; the live preview below. */
export function FormScreen(props: Props) {
  const { project, width, notify } = props;
  const theme = useTheme();
  const initialName = props.reopen?.name ?? props.initialName ?? '';
  const { state, dispatch, latest } = useFormState(() =>
    initialForm(initialName, fromOperations((props.reopen?.spec as { operations: never[] })?.operations ?? [])),
  );
  const [session, setSession] = useState<AuthoringSession | null>(null);
  const [now] = useState(() => props.reopen?.stamped ?? new Date());
  const [tab, setTab] = useState(0);
  const [offset, setOffset] = useState(0);
  const writing = useRef(false);
  const [typeAhead] = useState(() => new TypeAhead());
  const callbacks = useLatest({ notify, onDone: props.onDone });
  useEffect(() => {
    let live = true;
    // A pending revision written again is checked against the revisions before it, not against itself.
    AuthoringSession.open(project, { rewriting: props.reopen?.path })
      .then((s) => live && setSession(s))
      .catch((error) => {
        if (!live) return;
        callbacks.current.notify({ kind: 'error', text: `cannot read the schema: ${errorText(error).line}` });
        callbacks.current.onDone();
      });
    return () => {
      live = false;
    };
  }, [project, props.reopen?.path, callbacks]);
  const spec = useMemo(() => toSpec(state.operations), [state.operations]);
  const tabs = previewTabs(project.dialect);
  const frame = currentFrame(state);
  // The file follows every key by itself; the SQL, lint and entity tabs, the list's "ready" and the write step need the draft.
  const listed = frame.at === 'operations' || frame.at === 'items' || frame.at === 'preview';
  const { authored, draft, error } = useFormDraft(session, state.name, spec, {
    now,
    rewrites: props.reopen,
    entities: tabs[tab] === 'entities' || frame.at === 'preview',
    visible: tabs[tab] !== 'file' || listed,
  });
  const problems = useMemo(() => recordProblems(authored?.problems ?? [], state.operations), [authored, state.operations]);
  const cannotRun = draft?.cannotRun ?? [];
  const ready = authored !== null && problems.length === 0 && draft !== null && !error && cannotRun.length === 0;

  const [writeWhenReady, setWriteWhenReady] = useState(false);
  const write = () => {
    if (!draft || !session || writing.current) return;
    writing.current = true;
    const say = notify.later();
    session
      .write(draft, { replace: Boolean(props.reopen) })
      .then(() => props.onDone(draft.authored.revision))
      .catch((e) => say({ kind: 'error', text: `nothing was written: ${errorText(e).line}` }))
      .finally(() => (writing.current = false));
  };
  const writeNow = useLatest(write);
  useEffect(() => {
    // Only a pending write is taken back: an effect of the frame before a quick y must not undo the y.
    if (!writeWhenReady) return;
    if (frame.at !== 'preview') return setWriteWhenReady(false);
    if (!ready) return;
    setWriteWhenReady(false);
    writeNow.current();
  }, [writeWhenReady, ready, frame.at, writeNow]);

  const body = useBodyHeight(props.height);
  const record = frame.at === 'record' ? recordAt(state, frame.path) : undefined;
  const fields = record ? visibleFields(record) : [];
  const recordProps =
    record && frame.at === 'record' && session
      ? {
          record,
          fields,
          ctx: choiceContext(state, session.snapshot, frame.path),
          problems: Object.fromEntries(fields.map((f) => [f.key, fieldProblems(problems, frame.path, f)])),
        }
      : undefined;
  const itemsOf = frame.at === 'items' ? records(state.operations[frame.op]?.values[frame.field]) : state.operations;
  const stepRows = (() => {
    if (frame.at === 'record' && recordProps) {
      const focused = fields[frame.focus];
      const open =
        focused?.kind === 'choice' || focused?.kind === 'multi' ? Math.min(5, Math.max(1, focused.choices?.(recordProps.ctx).length ?? 0)) : 0;
      return 1 + fields.length + open + Object.values(recordProps.problems).flat().length;
    }
    if (frame.at === 'operations' || frame.at === 'items') return itemsOf.length + 4 + (itemsOf.some((i) => i.kind === 'backfill') ? 2 : 0);
    return frame.at === 'menu' ? 13 : 3;
  })();
  // A wide terminal shows the form and the preview side by side, each the full height (not 30 blank rows below).
  const sideBySide = width >= SIDE_BY_SIDE_MIN;
  const stepWidth = sideBySide ? Math.floor(width * 0.45) : width;
  const previewWidth = sideBySide ? width - stepWidth - 2 : width;
  const stepHeight = sideBySide ? body - 1 : Math.max(3, Math.min(stepRows, body - 1 - PREVIEW_MIN));
  const previewHeight = sideBySide ? body - 1 : Math.max(2, body - 1 - stepHeight);
  // Problems are told by record (an operation the form shows), the preview's by the spec's operations.
  const operations = state.operations.map((r) => ({ op: r.kind }));
  const lines = authored
    ? previewLines(tabs[tab], { authored, draft, operations: spec.operations as unknown[], cwd: props.cwd, width: previewWidth, theme })
    : [];
  const page = Math.max(1, previewHeight - 2);

  const keys = useScreenKeys(
    'form',
    formKeys(
      latest,
      dispatch,
      session?.snapshot ?? null,
      initialName,
      {
        leave: () => props.onDone(),
        help: props.onHelp,
        say: (text) => notify({ kind: 'error', text }),
        notReady: () => {
          if (problems.length > 0) return `not ready to write: ${describeProblem(problems[0], operations)}`;
          if (error) return `the preview failed: ${error}`;
          if (cannotRun.length > 0) return `not ready to write, it cannot run on ${project.dialect}: ${cannotRun[0]}`;
          return draft ? null : 'the preview is still being drafted; w again in a moment';
        },
        write: () => {
          if (ready) return write();
          // y before the entity edits are drafted is not lost: the write follows as soon as they are.
          setWriteWhenReady(true);
          notify({ kind: 'info', text: 'writing as soon as the entity edits are drafted…' });
        },
        tab: (by) => {
          setTab((t) => (t + by + tabs.length) % tabs.length);
          setOffset(0);
        },
        scroll: (by) => setOffset((o) => clampOffset(o + (by === 'page-up' ? -page : page), lines.length, previewHeight - 1)),
      },
      ready,
      typeAhead,
    ),
    props.isActive && session !== null,
  );

  const itemProblems = (index: number) => {
    if (frame.at !== 'items') return problems.filter((p) => p.index === index).map((p) => describeProblem(p, operations));
    // A backfill's assignments are the spec's `set.<column>`, the other lists' items `<field>[<index>]`.
    const item = itemsOf[index];
    const at = frame.field === 'set' ? `set.${text(item?.values.column)}` : `${frame.field}[${index}]`;
    return problems
      .filter((p) => p.index === frame.op && (p.field === at || p.field.startsWith(`${at}.`) || p.field.startsWith(`${at}[`)))
      .map((p) => `${p.field.slice(at.length).replace(/^\./, '') || (frame.field === 'set' ? 'column' : frame.field)}: ${p.message}`);
  };
  const title = `${props.reopen ? 'Editing' : 'New revision'} ${state.name || '…'}${authored ? `  ·  ${authored.revision}.ts` : ''}`;
  return (
    <ScreenFrame height={props.height} keys={keys}>
      {() => (
        <Box flexDirection="column">
          <Text bold color={theme.accent} wrap="truncate-end">
            {truncate(title, width)}
          </Text>
          {session === null ? (
            <Muted>reading the schema…</Muted>
          ) : (
            <Box flexDirection={sideBySide ? 'row' : 'column'}>
              <Box height={stepHeight} width={stepWidth} flexDirection="column" marginRight={sideBySide ? 2 : 0}>
                <FormStep
                  frame={frame}
                  name={state.name}
                  nameProblem={state.name ? revisionNameProblem(state.name) : undefined}
                  items={itemsOf}
                  itemProblems={itemProblems}
                  record={recordProps}
                  problems={problems}
                  operations={operations}
                  writeTarget={`${authored?.revision ?? ''}.ts${draft?.entities.length ? ` and ${plural(draft.entities.length, 'entity file')}` : ''}`}
                  ready={ready}
                  cannotRun={cannotRun}
                  dialect={project.dialect}
                  editing={props.reopen ? basename(props.reopen.path) : undefined}
                  leavesTo={props.leavesToShell ? 'returns to the shell' : 'goes back to the timeline'}
                  width={stepWidth}
                  height={stepHeight}
                />
              </Box>
              <PreviewPane
                tabs={tabs}
                tab={tabs[tab]}
                lines={lines}
                offset={offset}
                height={previewHeight}
                width={previewWidth}
                stale={!draft && problems.length === 0 && (tabs[tab] !== 'file' || listed)}
              />
            </Box>
          )}
        </Box>
      )}
    </ScreenFrame>
  );
}
