import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export const problemContentType = 'application/problem+json';

export interface ProblemInit {
  status: ContentfulStatusCode;
  code: string;
  title: string;
  detail?: string;
  /** Extra members of the problem document, such as `errors` or `retryAfter`. */
  extensions?: Record<string, unknown>;
  headers?: Record<string, string>;
}

/**
 * A domain error that knows its HTTP answer. Subclasses name the failure
 * (`SeatUnavailable`, `TokenReplayed`); `code` is stable for clients.
 */
export class Problem extends Error {
  readonly status: ContentfulStatusCode;
  readonly code: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly extensions: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(init: ProblemInit) {
    super(init.detail ?? init.title);
    this.name = 'Problem';
    this.status = init.status;
    this.code = init.code;
    this.title = init.title;
    this.detail = init.detail;
    this.extensions = init.extensions ?? {};
    this.headers = init.headers ?? {};
  }
}

/** RFC 9457 problem+json response with the request id for support. */
export function problemResponse(c: Context, problem: Problem): Response {
  // Extensions first: a member named like a standard one must not replace it.
  const body = {
    ...problem.extensions,
    type: `https://tatkal.dev/problems/${problem.code}`,
    title: problem.title,
    status: problem.status,
    ...(problem.detail === undefined ? {} : { detail: problem.detail }),
    code: problem.code,
    instance: c.req.path,
    requestId: c.get('requestId'),
  };
  return c.body(JSON.stringify(body), problem.status, {
    ...problem.headers,
    'content-type': problemContentType,
  });
}

export const notFound = (path: string) =>
  new Problem({
    status: 404,
    code: 'not_found',
    title: 'Not found',
    detail: `No resource at ${path}`,
  });

export const internalError = () =>
  new Problem({
    status: 500,
    code: 'internal_error',
    title: 'Internal server error',
    detail: 'The server failed to handle the request; quote the requestId when reporting it.',
  });

const refusalCodes: Record<number, [code: string, title: string]> = {
  400: ['malformed_request', 'Malformed request'],
  413: ['body_too_large', 'Request body too large'],
  415: ['unsupported_media_type', 'Unsupported media type'],
};

/** A request hono refused before any handler ran. */
export function requestRefused(status: ContentfulStatusCode, message: string): Problem {
  const [code, title] = refusalCodes[status] ?? ['request_refused', 'Request refused'];
  return new Problem({ status, code, title, detail: message || title });
}

/** zod issues as a 422 problem listing each bad field. */
export function invalidInput(
  issues: ReadonlyArray<{ path: PropertyKey[]; message: string }>,
  where: string,
): Problem {
  return new Problem({
    status: 422,
    code: 'invalid_input',
    title: 'Invalid input',
    detail: `The request ${where} is not valid: ${issues
      .map((issue) => `${issue.path.map(String).join('.') || '(root)'} ${issue.message}`)
      .join('; ')}`,
    extensions: {
      errors: issues.map((issue) => ({
        path: issue.path.map(String).join('.'),
        message: issue.message,
      })),
    },
  });
}

/** The defaultHook of every zod-openapi app: any validation failure becomes the standard 422. */
export function validationHook(result: {
  success: boolean;
  error?: { issues: Array<{ path: PropertyKey[]; message: string }> };
  target?: string;
}): void {
  if (!result.success && result.error)
    throw invalidInput(result.error.issues, result.target ?? 'input');
}
