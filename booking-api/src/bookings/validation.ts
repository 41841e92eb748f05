// The booking verbs' input rules, one zod schema per verb. A refusal lists
// every bad field at once and happens before any query, so bad input never
// changes state.
import { berthTypes, classCodes, genders, quotas } from '@tatkal/drizzle/schema';
import { z } from 'zod';
import { InvalidInput } from '../domain/index.ts';

/** Railway limits per PNR: six passengers, four under Tatkal and Premium Tatkal. */
export const maxPassengers = { GN: 6, TQ: 4, PT: 4 } as const;

// Letters, marks, digits, punctuation, symbols and spaces; no control or format
// characters except the zero-width (non-)joiner that Indic names need.
const unprintable = /[\p{Cc}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Cf}]/u;
const joiners = /[\u200c\u200d]/gu;

export const passengerSchema = z.object({
  name: z
    .string()
    .trim()
    .refine((name) => name.length > 0, 'must not be blank')
    .refine((name) => [...name].length <= 64, 'must be at most 64 characters')
    .refine(
      (name) => !unprintable.test(name.replace(joiners, '')),
      'must contain printable characters only',
    ),
  age: z.number().int().min(0).max(125),
  gender: z.enum(genders),
  berthPreference: z.enum(berthTypes).nullable(),
});
export type PassengerInput = z.infer<typeof passengerSchema>;

const id = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);
const instant = z.number().int().nonnegative().max(8.64e15);

/** What every booking request carries about who books what. */
const bookingScope = {
  journeyId: id,
  roomId: z.string().min(1).max(63).nullable(),
  subject: z.string().min(1).max(200),
  tokenJti: z.string().min(1).max(200).nullable(),
  classCode: z.enum(classCodes),
  quota: z.enum(quotas),
  passengers: z.array(passengerSchema).min(1).max(6),
  nowMs: instant,
};

function passengerLimit(
  input: { quota: keyof typeof maxPassengers; passengers: unknown[] },
  ctx: z.RefinementCtx,
) {
  const limit = maxPassengers[input.quota];
  if (input.passengers.length > limit) {
    ctx.addIssue({
      code: 'custom',
      path: ['passengers'],
      message: `at most ${limit} passengers for quota ${input.quota}`,
    });
  }
}

export const createBookingSchema = z
  .object({
    ...bookingScope,
    seatIds: z.array(id).min(1).max(6),
    holdId: z.string().min(1).max(128),
    paymentWindowMs: z.number().int().min(1_000).max(3_600_000),
  })
  .superRefine((input, ctx) => {
    passengerLimit(input, ctx);
    if (new Set(input.seatIds).size !== input.seatIds.length) {
      ctx.addIssue({ code: 'custom', path: ['seatIds'], message: 'must not repeat a seat' });
    }
    if (input.seatIds.length !== input.passengers.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['seatIds'],
        message: `must hold one seat per passenger (${input.passengers.length})`,
      });
    }
  });
export type CreateBookingInput = z.input<typeof createBookingSchema>;
export type ValidCreateBooking = z.output<typeof createBookingSchema>;

export const joinWaitlistSchema = z.object(bookingScope).superRefine(passengerLimit);
export type JoinWaitlistInput = z.input<typeof joinWaitlistSchema>;
export type ValidJoinWaitlist = z.output<typeof joinWaitlistSchema>;

/** Parses `input` or throws InvalidInput naming every bad field. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new InvalidInput(
    result.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.message,
    })),
  );
}
