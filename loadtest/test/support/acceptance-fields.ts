/** The fields the surge's last JSON line must carry, for each run (issue acceptance). */
export const acceptanceFields = [
  'visitors',
  'seats',
  'sold',
  'oversold',
  'fifo_inversions',
  'sellout_seconds',
  'commit_p95_ms',
  'commit_target_ms',
  'errors_5xx',
  'timeouts',
] as const;
