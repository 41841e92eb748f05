// The booking API's request and response shapes, described once in zod: they
// validate input and generate /openapi.json.
import { z } from '@hono/zod-openapi';
import { berthTypes, classCodes, genders, quotas } from '@tatkal/drizzle/schema';

// Ids are JSON numbers in bodies and plain digits in paths: no coercion of
// "7", true, [7], 0x7 or 7e0.
const id = z.number().int().min(1).max(2_147_483_647);

export const JourneyParams = z.object({
  journeyId: z
    .string()
    .regex(/^[1-9][0-9]{0,9}$/, { message: 'must be a journey id (digits)' })
    .openapi({ param: { name: 'journeyId', in: 'path' }, example: '1' })
    .transform(Number)
    .pipe(id),
});

export const PnrParams = z.object({
  pnr: z
    .string()
    .regex(/^[1-9][0-9]{9}$/, { message: 'must be a 10-digit PNR' })
    .openapi({ param: { name: 'pnr', in: 'path' }, example: '4512398760' }),
});

export const HoldParams = z.object({
  holdId: z
    .string()
    .regex(/^[1-9][0-9]{0,9}\.[A-Za-z0-9_-]{1,64}$/, { message: 'must be a hold id' })
    .openapi({ param: { name: 'holdId', in: 'path' } }),
});

export const HoldBody = z
  .object({
    journeyId: id,
    classCode: z.enum(classCodes),
    quota: z.enum(quotas),
    seatIds: z.array(id).min(1).max(6).optional(),
    berths: z
      .object({
        count: z.number().int().min(1).max(6),
        preferences: z.array(z.enum(berthTypes).nullable()).max(6),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    if ((body.seatIds === undefined) === (body.berths === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['seatIds'], message: 'give either seatIds or berths' });
    }
    if (body.berths && body.berths.preferences.length !== body.berths.count) {
      ctx.addIssue({
        code: 'custom',
        path: ['berths', 'preferences'],
        message: 'one preference (or null) per berth',
      });
    }
    if (body.seatIds && new Set(body.seatIds).size !== body.seatIds.length) {
      ctx.addIssue({ code: 'custom', path: ['seatIds'], message: 'must not repeat a seat' });
    }
  })
  .openapi('HoldRequest');

const SeatSchema = z.object({
  seatId: z.number().int(),
  coach: z.string(),
  berthNumber: z.number().int(),
  berthType: z.enum(berthTypes),
  classCode: z.string(),
  quota: z.string(),
});

export const HoldSchema = z
  .object({
    holdId: z.string(),
    journeyId: z.number().int(),
    classCode: z.string(),
    quota: z.string(),
    seats: z.array(SeatSchema),
    expiresAt: z.string(),
  })
  .openapi('Hold');

export const PassengerSchema = z
  .object({
    name: z.string().min(1).max(64),
    age: z.number().int().min(0).max(125),
    gender: z.enum(genders),
    berthPreference: z.enum(berthTypes).nullable(),
  })
  .strict();

export const BookingBody = z
  .object({ holdId: HoldParams.shape.holdId, passengers: z.array(PassengerSchema).min(1).max(6) })
  .strict()
  .openapi('BookingRequest');

export const WaitlistBody = z
  .object({
    journeyId: id,
    classCode: z.enum(classCodes),
    quota: z.enum(quotas),
    passengers: z.array(PassengerSchema).min(1).max(6),
  })
  .strict()
  .openapi('WaitlistRequest');

const FareSchema = z.object({
  baseFarePaise: z.number().int(),
  tatkalChargePaise: z.number().int(),
  premiumSurchargePaise: z.number().int(),
  totalPaise: z.number().int(),
});

export const BookingCommitSchema = z
  .object({
    pnr: z.string(),
    status: z.string(),
    amount: FareSchema,
    expiresAt: z.string().nullable(),
    seats: z.array(
      z.object({
        seatId: z.number().int(),
        coach: z.string(),
        berthNumber: z.number().int(),
        berthType: z.string(),
        passengerOrdinal: z.number().int(),
      }),
    ),
  })
  .openapi('BookingCommit');

export const AvailabilitySchema = z
  .object({
    journeyId: z.number().int(),
    pools: z.array(
      z.object({
        classCode: z.string(),
        quota: z.string(),
        free: z.number().int(),
        held: z.number().int(),
        sold: z.number().int(),
      }),
    ),
  })
  .openapi('Availability');

export const AnyJson = z.record(z.string(), z.unknown());

export const SeatMapQuery = z
  .object({
    classCode: z.enum(classCodes).openapi({ param: { name: 'classCode', in: 'query' } }),
    quota: z.enum(quotas).openapi({ param: { name: 'quota', in: 'query' } }),
  })
  .strict();

export const SeatMapSchema = z
  .object({
    journeyId: z.number().int(),
    classCode: z.string(),
    quota: z.string(),
    coaches: z.array(
      z.object({
        coach: z.string(),
        seats: z.array(
          z.object({
            seatId: z.number().int(),
            coach: z.string(),
            berthNumber: z.number().int(),
            berthType: z.enum(berthTypes),
            state: z.enum(['free', 'held', 'sold']),
          }),
        ),
      }),
    ),
  })
  .openapi('SeatMap');

const Station = z.object({ code: z.string(), name: z.string() });

export const JourneySchema = z
  .object({
    journeyId: z.number().int(),
    train: z.object({ number: z.string(), name: z.string() }),
    from: Station,
    to: Station,
    travelDate: z.string(),
    departsAt: z.string(),
    classes: z.array(z.object({ classCode: z.string(), coaches: z.array(z.string()) })),
  })
  .openapi('Journey');

// Route declaration helpers shared by the business routes.
export const json = <S>(schema: S, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});
const problem = {
  description: 'RFC 9457 problem',
  content: { 'application/problem+json': { schema: AnyJson } },
};
export const problems = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, problem]));
/** Every business route: a bearer admission token. */
export const security = [{ admissionToken: [] }];
