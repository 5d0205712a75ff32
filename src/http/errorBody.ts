// Every client error leaves in the spec's shape: {"error": "...", "details": "..."}.
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { errorText } from '../domain/errorText.js';

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
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  429: 'Too many requests',
};

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) {
      // The client learns nothing internal. The log names the failure but not a failed query's
      // parameters, which can hold customer text or credentials.
      request.log.error({ error: safeErrorSummary(err) }, 'request failed');
      return reply
        .status(status)
        .send({ error: 'Internal server error', details: 'The request could not be completed; it is safe to retry' });
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      return reply
        .status(400)
        .send({ error: 'Invalid request', details: validationDetails(err.validationContext, err.validation) });
    }
    // Errors that carry their own title and details (the admin API's AdminApiError) keep them.
    const own = err as Partial<{ title: unknown; details: unknown }>;
    if (typeof own.title === 'string' && typeof own.details === 'string') {
      return reply.status(status).send({ error: own.title, details: own.details });
    }
    const details =
      status === 415
        ? `Content-Type ${request.headers['content-type'] ?? '(none)'} is not supported; send application/json`
        : err.message;
    return reply.status(status).send({ error: TITLES[status] ?? 'Request error', details });
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send({ error: 'Not found', details: `${request.method} ${request.url.split('?')[0]} does not exist` }),
  );
}

/** "body.client_phone: <message>; query.limit: <message>", naming every field that failed. */
function validationDetails(context: string | undefined, issues: ValidationIssue[]): string {
  const where = context === 'querystring' ? 'query' : (context ?? 'request');
  const at = (path: string[]) => [where, ...path].join('.');
  return issues
    .map((issue) => {
      const path = issue.instancePath.split('/').filter(Boolean);
      // Name each unknown field itself, not the object holding it.
      const unknown = issue.keyword === 'unrecognized_keys' ? issue.params['keys'] : null;
      if (Array.isArray(unknown))
        return unknown.map((key) => `${at([...path, String(key)])}: is not a known field`).join('; ');
      return `${at(path)}: ${issue.message ?? 'is invalid'}`;
    })
    .join('; ');
}

interface ValidationIssue {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/** Name, code and first line of an error, without the "params:" a database driver appends. */
export function safeErrorSummary(err: unknown): { name: string; code: string | null; message: string } {
  const error = err instanceof Error ? err : new Error(String(err));
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const code = (error as { code?: unknown }).code ?? cause?.code;
  const message = `${errorText(error)}${typeof cause?.message === 'string' ? ` (${errorText(cause.message)})` : ''}`;
  return {
    name: error.name,
    code: typeof code === 'string' ? code : null,
    message: message.split('\n')[0]?.slice(0, 300) ?? '',
  };
}
