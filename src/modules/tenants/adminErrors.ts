// Errors the admin API turns into the spec's {"error","details"} bodies.

export class AdminApiError extends Error {
  constructor(
    readonly statusCode: 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429,
    readonly title: string,
    readonly details: string,
  ) {
    super(details);
    this.name = 'AdminApiError';
  }
}

export const notFound = (what: string) => new AdminApiError(404, 'Not found', `${what} does not exist`);
export const conflict = (details: string) => new AdminApiError(409, 'Conflict', details);
export const forbidden = (details: string) => new AdminApiError(403, 'Forbidden', details);
export const badRequest = (details: string) => new AdminApiError(400, 'Invalid request', details);
