// Which answers a visitor expects at each step of the journey. A refusal the system is meant to
// give (sold out, a seat someone else took, a forged or reused token) is an outcome to count,
// not an error; anything else fails the visit and counts against the run's error rate.

export type Step =
  | 'join'
  | 'status'
  | 'availability'
  | 'hold'
  | 'book'
  | 'pay'
  | 'confirm'
  | 'forged'
  | 'unsigned'
  | 'other_journey'
  | 'reused';

/** `ok`, or the name of an expected refusal; `unexpected` fails the visit. */
export type Verdict =
  | { kind: 'ok' }
  | { kind: 'refused'; outcome: string }
  | { kind: 'unexpected'; reason: string };

interface Expectation {
  ok: number[];
  /** Refusals by status and problem code, named as the outcome counted. */
  refusals?: Array<{ status: number; code: string; outcome: string }>;
}

const expectations: Record<Step, Expectation> = {
  join: {
    ok: [200, 201],
    refusals: [{ status: 429, code: 'rate_limited', outcome: 'join_rate_limited' }],
  },
  status: { ok: [200] },
  availability: { ok: [200] },
  hold: {
    ok: [201],
    refusals: [
      { status: 409, code: 'not_enough_berths', outcome: 'sold_out' },
      { status: 409, code: 'seat_unavailable', outcome: 'seat_taken' },
    ],
  },
  book: { ok: [201] },
  pay: { ok: [202] },
  confirm: { ok: [200] },
  forged: {
    ok: [],
    refusals: [{ status: 401, code: 'token_bad_signature', outcome: 'forged_token_refused' }],
  },
  unsigned: {
    ok: [],
    refusals: [{ status: 401, code: 'token_algorithm_refused', outcome: 'unsigned_token_refused' }],
  },
  other_journey: {
    ok: [],
    refusals: [{ status: 403, code: 'token_scope', outcome: 'out_of_scope_refused' }],
  },
  reused: {
    ok: [],
    refusals: [{ status: 403, code: 'token_consumed', outcome: 'reused_token_refused' }],
  },
};

function problemCode(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { code?: unknown };
    return typeof parsed.code === 'string' ? parsed.code : undefined;
  } catch {
    return undefined;
  }
}

export function judge(step: Step, status: number, body: string): Verdict {
  const expectation = expectations[step];
  if (expectation.ok.includes(status)) return { kind: 'ok' };
  const code = problemCode(body);
  const refusal = expectation.refusals?.find(
    (candidate) => candidate.status === status && candidate.code === code,
  );
  if (refusal) return { kind: 'refused', outcome: refusal.outcome };
  return { kind: 'unexpected', reason: `${step} answered ${status} ${code ?? 'without a code'}` };
}
