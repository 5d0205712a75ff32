// A tenant's training rows (FAQs, examples, rules): CRUD, bulk import (CSV or JSON, with a
// per-row error report) and export. The bot uses a change from its very next message.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AdminApiOptions } from './adminApiOptions.js';
import { isUuid, principalOf } from './adminAuth.js';
import { AdminApiError, badRequest, notFound } from './adminErrors.js';
import { errorResponses, noContent, pageOf, tenantParams } from './adminSchemas.js';
import {
  exportQuery,
  importQuery,
  importRejected,
  importResult,
  trainingListQuery,
  trainingParams,
  trainingRowView,
} from './contentSchemas.js';
import type { TrainingRowView } from './ports.js';
import { actorOf } from './principal.js';
import { parseTrainingCsv, TRAINING_CSV_COLUMNS, trainingCsv } from './trainingCsv.js';
import { MAX_IMPORT_ROWS, MAX_VARIANT_LENGTH, MAX_VARIANTS, trainingRowSchema } from './trainingRowSchema.js';

const tags = ['training'];
/** CSV or JSON import bodies; every other admin body is far smaller. */
export const IMPORT_BODY_LIMIT = 5 * 1024 * 1024;

export const trainingRoutes: FastifyPluginAsync<AdminApiOptions> = async (app, { content }) => {
  // Scoped to this plugin: only these routes read CSV bodies (as text, parsed by the import).
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  const routes = app.withTypeProvider<ZodTypeProvider>();

  routes.get(
    '/tenants/:tenantId/training',
    {
      schema: {
        tags,
        summary: 'List training rows, filtered by data_type, category, is_active or text (q)',
        params: tenantParams,
        querystring: trainingListQuery,
        response: { 200: pageOf(trainingRowView), ...errorResponses },
      },
    },
    async (request) => {
      const { tenantId } = request.params;
      const { page, limit, data_type, category, is_active, q } = request.query;
      const result = await content.training(tenantId).list({
        page,
        limit,
        data_type: data_type ?? null,
        category: category ?? null,
        is_active: is_active ?? null,
        q: q ?? null,
      });
      return result ?? missingTenant(tenantId);
    },
  );

  routes.post(
    '/tenants/:tenantId/training',
    {
      schema: {
        tags,
        summary: 'Add a training row',
        params: tenantParams,
        body: trainingRowSchema.create,
        response: { 201: trainingRowView, ...errorResponses },
      },
    },
    async (request, reply) => {
      const view = await content.training(request.params.tenantId).create(request.body, actorOf(principalOf(request)));
      return reply.status(201).send(view);
    },
  );

  routes.post(
    '/tenants/:tenantId/training/import',
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        tags,
        summary:
          'Import rows from text/csv (header: question,answer,data_type,category,priority,confidence_score,is_active,variants; variants separated by |) or application/json ({"rows": [...]} or an array)',
        description:
          'Every row is checked first. Any bad row means nothing is written (422 with the errors), unless partial=true: then the good rows are written and the bad ones reported. Rows are numbered from 1, not counting a CSV header.',
        params: tenantParams,
        querystring: importQuery,
        response: { 200: importResult, 422: importRejected, ...errorResponses, 413: errorResponses[400] },
      },
    },
    async (request, reply) => {
      const rows = importedRows(request);
      if (rows.length === 0) throw badRequest('The import has no rows');
      if (rows.length > MAX_IMPORT_ROWS) {
        throw new AdminApiError(
          413,
          'Payload too large',
          `An import holds at most ${MAX_IMPORT_ROWS} rows (got ${rows.length}); split it`,
        );
      }
      const { mode, partial } = request.query;
      const result = await content
        .training(request.params.tenantId)
        .importRows(rows, { mode, partial }, actorOf(principalOf(request)));
      if (result.imported === 0) {
        const bad = new Set(result.errors.map((e) => e.row)).size;
        return reply.status(422).send({
          error: 'Import rejected',
          details: `${bad} of ${rows.length} rows are invalid; nothing was imported${partial ? ' (no row was valid)' : ' (send partial=true to import the valid rows)'}`,
          imported: 0,
          errors: result.errors,
        });
      }
      return result;
    },
  );

  routes.get(
    '/tenants/:tenantId/training/export',
    {
      schema: {
        tags,
        summary: 'Every training row as CSV or JSON, in the form the import takes',
        params: tenantParams,
        querystring: exportQuery,
        response: {
          200: z
            .string()
            .describe('CSV with a header row, or JSON {"rows": [...]}; sent as a file (Content-Disposition)'),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const { tenantId } = request.params;
      const rows = (await content.training(tenantId).exportAll()) ?? missingTenant(tenantId);
      const { format } = request.query;
      const filename = `training-${tenantId}-${new Date().toISOString().slice(0, 10)}.${format}`;
      reply.header('content-disposition', `attachment; filename="${filename}"`);
      // Sent as text so the JSON serializer does not re-check a body it did not make.
      if (format === 'csv') return reply.type('text/csv; charset=utf-8').send(trainingCsv(rows));
      return reply.type('application/json; charset=utf-8').send(JSON.stringify({ rows: rows.map(exportRow) }));
    },
  );

  routes.get(
    '/tenants/:tenantId/training/:rowId',
    {
      schema: {
        tags,
        summary: 'Read a training row',
        params: trainingParams,
        response: { 200: trainingRowView, ...errorResponses },
      },
    },
    async (request) => {
      const { tenantId, rowId } = request.params;
      return (isUuid(rowId) ? await content.training(tenantId).get(rowId) : null) ?? missingRow(rowId);
    },
  );

  routes.route({
    method: ['PATCH', 'PUT'],
    url: '/tenants/:tenantId/training/:rowId',
    schema: {
      tags,
      summary: "Change some of a training row's fields",
      params: trainingParams,
      body: trainingRowSchema.patch,
      response: { 200: trainingRowView, ...errorResponses },
    },
    handler: async (request) => {
      const { tenantId, rowId } = request.params;
      const store = content.training(tenantId);
      return (
        (isUuid(rowId) ? await store.update(rowId, request.body, actorOf(principalOf(request))) : null) ??
        missingRow(rowId)
      );
    },
  });

  routes.post(
    '/tenants/:tenantId/training/:rowId/variants',
    {
      schema: {
        tags,
        summary: 'Add alternative questions to a training row ("This is FAQ X")',
        description: `Wordings the row already has (its question or a variant, ignoring case and punctuation) are skipped. A row holds at most ${MAX_VARIANTS} variants of at most ${MAX_VARIANT_LENGTH} characters each; more is refused with nothing written.`,
        params: trainingParams,
        body: trainingRowSchema.addVariants,
        response: { 200: trainingRowView, ...errorResponses },
      },
    },
    async (request) => {
      const { tenantId, rowId } = request.params;
      const store = content.training(tenantId);
      return (
        (isUuid(rowId) ? await store.addVariants(rowId, request.body.variants, actorOf(principalOf(request))) : null) ??
        missingRow(rowId)
      );
    },
  );

  routes.delete(
    '/tenants/:tenantId/training/:rowId',
    {
      schema: {
        tags,
        summary: 'Delete a training row',
        params: trainingParams,
        response: { 204: noContent, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { tenantId, rowId } = request.params;
      const deleted = isUuid(rowId) && (await content.training(tenantId).delete(rowId, actorOf(principalOf(request))));
      if (!deleted) missingRow(rowId);
      return reply.status(204).send(null);
    },
  );
};

/** The rows of an import body: CSV text (this plugin's parser) or parsed JSON. */
function importedRows(request: FastifyRequest): unknown[] {
  const body = request.body;
  if (typeof body === 'string') return parseTrainingCsv(body);
  if (body === undefined || body === null) {
    throw badRequest(
      `Send the rows as text/csv (header: ${TRAINING_CSV_COLUMNS.join(',')}) or application/json ({"rows": [...]})`,
    );
  }
  if (Array.isArray(body)) return body;
  if (typeof body === 'object') {
    const unknown = Object.keys(body).filter((key) => key !== 'rows');
    if (unknown.length) throw badRequest(unknown.map((key) => `body.${key}: is not a known field`).join('; '));
    const rows = (body as { rows?: unknown }).rows;
    if (Array.isArray(rows)) return rows;
  }
  throw badRequest('body.rows: expected {"rows": [...]} or an array of rows');
}

function exportRow(row: TrainingRowView): Record<string, unknown> {
  return Object.fromEntries(TRAINING_CSV_COLUMNS.map((column) => [column, row[column]]));
}

function missingTenant(tenantId: string): never {
  throw notFound(`Tenant ${tenantId}`);
}

function missingRow(rowId: string): never {
  throw notFound(`Training row ${rowId}`);
}
