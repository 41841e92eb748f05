// The admin API's domain errors, each with a stable code for the CLI and console.
import { Problem } from '@tatkal/waiting-room/service';

const bearer = { 'www-authenticate': 'Bearer realm="tatkal-admin"' };

export const tokenMissing = () =>
  new Problem({
    status: 401,
    code: 'operator_token_missing',
    title: 'Operator token required',
    detail: 'Send an operator token as "Authorization: Bearer <token>" (tatkal tokens create).',
    headers: bearer,
  });

export const tokenInvalid = () =>
  new Problem({
    status: 401,
    code: 'operator_token_invalid',
    title: 'Operator token not valid',
    detail: 'The token is unknown or was revoked.',
    headers: { 'www-authenticate': 'Bearer realm="tatkal-admin", error="invalid_token"' },
  });

export const operatorRoleRequired = (role: string) =>
  new Problem({
    status: 403,
    code: 'operator_role_required',
    title: 'Operator role required',
    detail: `This token has the "${role}" role, which may only read; changes need an "operator" token.`,
  });

export const roomNotFound = (roomId: string) =>
  new Problem({
    status: 404,
    code: 'room_not_found',
    title: 'No such room',
    detail: `There is no room "${roomId}".`,
  });

export const roomExists = (roomId: string) =>
  new Problem({
    status: 409,
    code: 'room_exists',
    title: 'Room already exists',
    detail: `A room "${roomId}" already exists; change it with PATCH /admin/rooms/${roomId}.`,
  });

/** A state change that does not apply to the room as it is now (resume a room that is not paused). */
export const transitionRefused = (roomId: string, action: string, state: string, why: string) =>
  new Problem({
    status: 409,
    code: 'room_transition_refused',
    title: `Cannot ${action} this room now`,
    detail: `Room "${roomId}" is ${state}: ${why}`,
    extensions: { state },
  });

/** Input that is well-formed but inconsistent with the room's other settings. */
export const inconsistentInput = (path: string, message: string) =>
  new Problem({
    status: 422,
    code: 'invalid_input',
    title: 'Invalid input',
    detail: `The request body is not valid: ${path} ${message}`,
    extensions: { errors: [{ path, message }] },
  });

export const tooManyLiveViews = () =>
  new Problem({
    status: 503,
    code: 'live_views_exhausted',
    title: 'Too many live views open',
    detail: 'Close another console or watch and try again.',
    headers: { 'retry-after': '5' },
  });
