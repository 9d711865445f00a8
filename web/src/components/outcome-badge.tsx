/** Gate outcomes and release states in plain words, the way a product manager would say them. */

export type Outcome = 'approve' | 'narrow' | 'require_approval' | 'block';

/**
 * An outcome in plain words: "Approved", "Blocked", "Needs an owner's approval", "Narrowed to 10%".
 * @example outcomeInWords('narrow', 10) // 'Narrowed to 10%'
 */
export function outcomeInWords(outcome: Outcome, rolloutPercent?: number | null): string {
  switch (outcome) {
    case 'approve':
      return 'Approved';
    case 'block':
      return 'Blocked';
    case 'require_approval':
      return "Needs an owner's approval";
    case 'narrow':
      return rolloutPercent ? `Narrowed to ${rolloutPercent}%` : 'Narrowed rollout';
  }
}

/** The outcome as a coloured badge; colour is never the only signal (the words say it). */
export function OutcomeBadge({ outcome, rolloutPercent, large }: { outcome: Outcome; rolloutPercent?: number | null; large?: boolean }) {
  return <span className={`badge ${outcome}${large ? ' large' : ''}`}>{outcomeInWords(outcome, rolloutPercent)}</span>;
}

export type ReleaseStatus = 'candidate' | 'approved' | 'canary' | 'live' | 'rolled_back';

/**
 * A release state in words: "Candidate (blocked)", "Canary at 10%", "Rolled back".
 * @example releaseInWords('canary', 25) // 'Canary at 25%'
 */
export function releaseInWords(status: ReleaseStatus, canaryPercent?: number | null, hold?: string | null): string {
  switch (status) {
    case 'candidate':
      return hold === 'block' ? 'Candidate (blocked)' : hold === 'require_approval' ? "Candidate (awaiting an owner's approval)" : 'Candidate';
    case 'approved':
      return 'Approved';
    case 'canary':
      return canaryPercent ? `Canary at ${canaryPercent}%` : 'Canary';
    case 'live':
      return 'Live';
    case 'rolled_back':
      return 'Rolled back';
  }
}

export function ReleaseBadge({ status, canaryPercent, hold }: { status: ReleaseStatus; canaryPercent?: number | null; hold?: string | null }) {
  return <span className={`badge ${status}${hold ? ` ${hold}` : ''}`}>{releaseInWords(status, canaryPercent, hold)}</span>;
}
