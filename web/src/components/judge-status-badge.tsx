/** A judge's calibration status in plain words, for the judges page and the scorecard. */

export type JudgeStatus = 'calibrated' | 'uncalibrated' | 'stale';

const WORDS: Record<JudgeStatus, string> = { calibrated: 'Calibrated', uncalibrated: 'Uncalibrated', stale: 'Stale' };

/**
 * What the status means for someone deciding whether to trust the judge.
 * @example judgeStatusExplained('stale') // 'The judge's model, prompt or rubric changed since …'
 */
export function judgeStatusExplained(status: JudgeStatus): string {
  switch (status) {
    case 'calibrated':
      return 'This judge version agrees with the human gold set well enough to be trusted by the gate.';
    case 'uncalibrated':
      return 'This judge has not been shown to agree with human reviewers: its failures can only ask an owner for approval at the gate.';
    case 'stale':
      return "The judge's model, prompt or rubric changed since it was calibrated: calibrate it again before the gate trusts it.";
  }
}

/** The status as a badge; the words carry it, the colour only repeats it. */
export function JudgeStatusBadge({ status }: { status: JudgeStatus }) {
  return (
    <span className={`badge judge-${status}`} title={judgeStatusExplained(status)}>
      {WORDS[status]}
    </span>
  );
}
