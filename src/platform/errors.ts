// The few domain errors services throw. Entry points (HTTP, CLI, import) turn them into their own
// wording; each carries a stable code.

export interface FieldIssue {
  field: string;
  code: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input was rejected; `issues` names every field at fault. Nothing was written. */
export class ValidationError extends DomainError {
  constructor(readonly issues: FieldIssue[]) {
    super('invalid', issues.map((i) => `${i.field}: ${i.message}`).join('; '));
  }
}

/**
 * The request itself is malformed (a query parameter given twice, broken percent-encoding, a control
 * character in text): HTTP 400, with the field at fault named like any validation error.
 */
export class MalformedRequestError extends ValidationError {
  readonly statusCode = 400;
  constructor(field: string, message: string) {
    super([{ field, code: 'malformed', message }]);
  }
}

/** The record does not exist, or the caller may not know that it does. */
export class NotFoundError extends DomainError {
  constructor(entity: string, id: number | string) {
    super('not_found', `${entity} ${id} does not exist`);
  }
}

/** The record changed or was taken meanwhile; retry with fresh data. */
export class ConflictError extends DomainError {
  constructor(message: string) {
    super('conflict', message);
  }
}

/**
 * A row changed between its read and its write in the same transaction, by a writer that committed
 * meanwhile (PostgreSQL, read committed). The caller asked for no particular version, so the
 * transaction simply runs again on fresh data (see inTransaction); only if that keeps happening does
 * the caller see a conflict.
 */
export class StaleWriteError extends ConflictError {
  readonly retryable = true;
}

/**
 * The caller edited a version of the record that is no longer current (a form's hidden version, an
 * If-Match). Not retried: a person or script must look at what changed.
 */
export class VersionConflictError extends ConflictError {
  constructor(
    message: string,
    /** The record as it is now, for showing what changed and who changed it. */
    readonly current: { version: number; updatedAt: string | null; updatedBy: string | null },
  ) {
    super(message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message: string) {
    super('forbidden', message);
  }
}

/** Collects field issues, then throws them all at once. */
export class IssueList {
  readonly issues: FieldIssue[] = [];
  add(field: string, code: string, message: string): void {
    this.issues.push({ field, code, message });
  }
  get empty(): boolean {
    return this.issues.length === 0;
  }
  throwIfAny(): void {
    if (this.issues.length) throw new ValidationError(this.issues);
  }
}

/** The configured database cannot be opened at all (a path Steward may not create or write). */
export class UnusableDatabaseError extends Error {}
