// Response descriptions shared by the admin routes.
import { AnyJson } from '../schemas.ts';

export const json = <S>(schema: S, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const problem = {
  description: 'RFC 9457 problem',
  content: { 'application/problem+json': { schema: AnyJson } },
};

export const problems = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((status) => [status, problem]));

export const security = [{ operatorToken: [] }];

export const jsonBody = <S>(schema: S) => ({
  body: { content: { 'application/json': { schema } }, required: true },
});
