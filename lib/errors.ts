// Typed domain errors: lib code throws them, the route wrapper (lib/http/route.ts) answers with their status and
// message. Anything else a handler throws is a bug: a 500 with a request id, the stack in the server log only.

export abstract class DomainError extends Error {
  abstract readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422;
  /** Extra fields of the JSON answer beside `error` (e.g. the current version on a conflict). */
  readonly details: Record<string, unknown>;

  constructor(message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

/** The request itself is wrong: a value out of range, an action the state does not allow. */
export class InvalidRequestError extends DomainError {
  readonly status = 400;
}

/** No session: sign in first. */
export class UnauthenticatedError extends DomainError {
  readonly status = 401;
}

export class ForbiddenError extends DomainError {
  readonly status = 403;
}

export class NotFoundError extends DomainError {
  readonly status = 404;
}

/** The thing changed or is busy: nothing was written. */
export class ConflictError extends DomainError {
  readonly status = 409;
}

export class TooLargeError extends DomainError {
  readonly status = 413;
}

export class UnsupportedMediaTypeError extends DomainError {
  readonly status = 415;
}

/** Well-formed, but the rules refuse it (e.g. an edit a rule stage fails). */
export class UnprocessableError extends DomainError {
  readonly status = 422;
}
