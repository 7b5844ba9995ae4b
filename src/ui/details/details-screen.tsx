import type { Project, Revision } from '../../core/index.js';
import { ScreenFrame, useBodyHeight } from '../screen-frame.js';
import { ScrollView, scrollHandlers, useScroll } from '../scroll-view.js';
import { useTheme } from '../theme.js';
import { useScreenKeys } from '../keys/use-key-layers.js';
import { useCheckpoints } from '../data/use-checkpoints.js';
import { detailsLines } from './details-lines.js';
import { useRevisionSql } from './use-revision-sql.js';
import { useBranchWarnings } from './use-branch-warnings.js';

interface Props {
  project: Project;
  /** The revision; null for the base row. */
  revision: Revision | null;
  current: string | null;
  /** Every revision of the timeline: a revision from a merged branch is compared with the other branch's. */
  revisions?: Revision[];
  width: number;
  height: number;
  now: number;
  isActive: boolean;
  onBack: () => void;
  onMove: (direction: 'up' | 'down') => void;
}

/** Details of the selected revision: file, checksum state, error, and the up and down SQL for the connected dialect. */
export function DetailsScreen({ project, revision, current, revisions, width, height, now, isActive, onBack, onMove }: Props) {
  const theme = useTheme();
  const sql = useRevisionSql(project, revision);
  const checkpoint = useCheckpoints(project, revision?.status === 'pending' ? [revision.name] : []).get(revision?.name ?? '');
  const { offset, scroll } = useScroll();
  const branchWarnings = useBranchWarnings(revisions, revision, project.dialect);
  const lines = detailsLines({ revision, current, dialect: project.dialect, sql, width, now, theme, checkpoint, branchWarnings });
  const pageHeight = useBodyHeight(height);
  const keys = useScreenKeys(
    'details',
    {
      details: {
        handlers: { ...scrollHandlers(scroll, lines.length, pageHeight), back: onBack, upgrade: () => onMove('up'), downgrade: () => onMove('down') },
      },
    },
    isActive,
  );
  return (
    <ScreenFrame height={height} keys={keys}>
      {(bodyHeight) => <ScrollView lines={lines} offset={offset} height={bodyHeight} />}
    </ScreenFrame>
  );
}
