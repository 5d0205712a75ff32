// Every client error leaves in the spec's shape: {"error": "...", "details": "..."}.
import type { FastifyError, FastifyInstance } from 'fastify';

export interface ErrorBody {
  error: string;
  details: string;
}

const TITLES: Record<number, string> = {
  400: 'Invalid request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  413: 'Payload too large',
  415: 'Unsupported media type',
  429: 'Too many requests',
};

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) {
      // The client learns nothing internal; the log has the detail (never a secret: see logger redaction).
      request.log.error({ err }, 'request failed');
      return reply.status(status).send({ error: 'Internal server error', details: 'The request could not be completed; it is safe to retry' });
    }
    const details =
      status === 415
        ? `Content-Type ${request.headers['content-type'] ?? '(none)'} is not supported; send application/json`
        : err.message;
    return reply.status(status).send({ error: TITLES[status] ?? 'Request error', details });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({ error: 'Not found', details: `${request.method} ${request.url.split('?')[0]} does not exist` }),
  );
}
