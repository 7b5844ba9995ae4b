import { useEffect } from 'react';
import type { Project } from '../../core/index.js';
import type { VerifyReport } from '../../core/verify/verify.js';
import { useScreenKeys } from '../keys/use-key-layers.js';
import { ScreenFrame, useBodyHeight } from '../screen-frame.js';
import { ScrollView, scrollHandlers, useScroll } from '../scroll-view.js';
import { useTheme } from '../theme.js';
import { proofLines } from './proof-lines.js';
import { type ProofRequest, useProof } from './use-proof.js';

interface Props {
  project: Project;
  request: ProofRequest;
  cwd: string;
  width: number;
  height: number;
  now: number;
  isActive: boolean;
  onBack: () => void;
  /** Called once verify has a result: the timeline marks what it could not prove. */
  onVerified?: (report: VerifyReport) => void;
}

/** verify or diff run on a scratch database: a progress line per step, then the result, in a scroll view. */
export function ProofScreen({ project, request, cwd, height, isActive, onBack, onVerified }: Props) {
  const theme = useTheme();
  const state = useProof(project, request, cwd);
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per result
  useEffect(() => {
    if (state.verify) onVerified?.(state.verify);
  }, [state.verify]);
  const { offset, scroll } = useScroll();
  const lines = proofLines(request, state, theme);
  const pageHeight = useBodyHeight(height);
  const keys = useScreenKeys('proof', { proof: { handlers: { ...scrollHandlers(scroll, lines.length, pageHeight), back: onBack } } }, isActive);
  return (
    <ScreenFrame height={height} keys={keys}>
      {(bodyHeight) => <ScrollView lines={lines} offset={offset} height={bodyHeight} />}
    </ScreenFrame>
  );
}
