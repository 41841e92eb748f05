// The visitor API's shapes, described once in zod: they validate input and
// generate /openapi.json.
import { z } from '@hono/zod-openapi';

export const roomIdPattern = /^[a-z0-9][a-z0-9-]{1,62}$/;

export const RoomParams = z.object({
  room: z
    .string()
    .regex(roomIdPattern, { message: 'must be a room slug: lowercase letters, digits and "-"' })
    .openapi({ param: { name: 'room', in: 'path' }, example: 'demo' }),
});

export const JoinBody = z
  .object({
    proofOfWork: z
      .object({
        challenge: z.string().min(1).max(512),
        nonce: z.string().regex(/^[0-9]{1,20}$/, { message: 'must be 1-20 digits' }),
      })
      .strict()
      .optional(),
  })
  .strict()
  .openapi('JoinRequest');

const RoomStateEnum = z.enum(['scheduled', 'pre_queue', 'open', 'paused', 'closed']);

const WaitBandSchema = z
  .object({ lowSeconds: z.number().int(), highSeconds: z.number().int() })
  .openapi('WaitBand');

export const StatusSchema = z
  .object({
    room: z.string(),
    state: RoomStateEnum,
    standing: z.enum(['prequeue', 'waiting', 'returning', 'admitted']),
    number: z.number().int().nullable(),
    position: z.number().int().nullable(),
    peopleAhead: z.number().int().nullable(),
    prequeueCount: z.number().int().nullable(),
    estimate: WaitBandSchema.nullable(),
    admissionRatePerSecond: z.number(),
    nextPollSeconds: z.number(),
    opensAt: z.string(),
    admission: z
      .object({ token: z.string(), bookingUrl: z.string(), expiresAt: z.string() })
      .nullable(),
  })
  .openapi('VisitorStatus');

export const JoinSchema = StatusSchema.extend({
  ticket: z
    .string()
    .openapi({ description: 'Signed queue ticket; also set as an HttpOnly cookie.' }),
  created: z.boolean(),
}).openapi('JoinResponse');

export const RoomStateSchema = z
  .object({
    room: z.string(),
    name: z.string(),
    mode: z.enum(['fifo', 'fifo_shuffle']),
    state: RoomStateEnum,
    servedUpTo: z.number().int(),
    lastNumber: z.number().int(),
    waiting: z.number().int(),
    prequeueCount: z.number().int(),
    admittedTotal: z.number().int(),
    admissionRatePerSecond: z.number(),
    schedule: z.object({
      prequeueOpensAt: z.string(),
      saleOpensAt: z.string(),
      closesAt: z.string(),
    }),
    shuffleSeedHash: z.string().nullable(),
    shuffleSeed: z.string().nullable(),
    updatedAt: z.string(),
  })
  .openapi('RoomState');

export const ChallengeSchema = z
  .object({
    required: z.boolean(),
    challenge: z.string().nullable(),
    difficulty: z.number().int(),
    expiresAt: z.string().nullable(),
  })
  .openapi('ProofOfWorkChallenge');

export const FairnessSchema = z
  .object({
    room: z.string(),
    mode: z.enum(['fifo', 'fifo_shuffle']),
    seedHash: z.string().nullable(),
    seed: z.string().nullable(),
    joinLog: z.array(z.string()).openapi({ description: 'sha256(visitor) in arrival order' }),
    order: z.array(z.string()).openapi({ description: 'sha256(visitor) in drawn queue order' }),
  })
  .openapi('Fairness');

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    code: z.string(),
    instance: z.string(),
    requestId: z.string(),
  })
  .passthrough()
  .openapi('Problem');

export const problemResponses = (...statuses: number[]) =>
  Object.fromEntries(
    statuses.map((status) => [
      status,
      {
        description: 'problem',
        content: { 'application/problem+json': { schema: ProblemSchema } },
      },
    ]),
  );
