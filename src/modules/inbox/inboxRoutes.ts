// People answer customers: the conversations (waiting for a person first), a thread, an agent's
// reply through the Graph API as the business (text inside the 24-hour window, an approved template
// at any time), who has the conversation (a reply takes it over; resolve hands it back to the bot),
// and the tenant's approved templates.
import { errorText } from '../../domain/errorText.js';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { GraphApiError } from '../../domain/graphApiError.js';
import { SERVICE_WINDOW_MS, isWithinServiceWindow } from '../../domain/serviceWindow.js';
import type { AdminApiOptions } from '../tenants/adminApiOptions.js';
import { principalOf } from '../tenants/adminAuth.js';
import { AdminApiError, badRequest, conflict, notFound } from '../tenants/adminErrors.js';
import { errorResponses, tenantParams } from '../tenants/adminSchemas.js';
import { actorOf } from '../tenants/principal.js';
import {
  agentMessageBody,
  assignBody,
  conversationState,
  conversationSummary,
  customerParams,
  inboxMessage,
  whatsappTemplate,
} from './inboxSchemas.js';

const tags = ['inbox'];
const errorBody = errorResponses[400];
/** An agent's reply keeps the bot quiet this long at most: "until resolved", with an end for the forgotten ones. */
export const TAKE_OVER_MS = 30 * 24 * 60 * 60_000;
const THREAD_LIMIT = 200;
const CONVERSATION_LIMIT = 200;
const agentMay = { agentMay: true };

export const inboxRoutes: FastifyPluginAsync<AdminApiOptions> = async (app, { inbox }) => {
  const routes = app.withTypeProvider<ZodTypeProvider>();
  const storeOf = async (tenantId: string) => {
    const store = inbox.stores.forTenant(tenantId);
    if (!(await store.exists())) throw notFound(`Tenant ${tenantId}`);
    return store;
  };
  const phoneOf = (request: { params: { userPhone: string } }) => request.params.userPhone.replace(/^\+/, '');

  routes.get(
    '/tenants/:tenantId/conversations',
    {
      schema: {
        tags,
        summary: 'Recent conversations (30 days): those waiting for a person first, then the latest',
        params: tenantParams,
        response: { 200: z.object({ data: z.array(conversationSummary) }), ...errorResponses },
      },
    },
    async (request) => {
      const list = await (await storeOf(request.params.tenantId)).conversations(CONVERSATION_LIMIT);
      list.sort((a, b) => Number(b.waiting) - Number(a.waiting) || b.last_message_at.localeCompare(a.last_message_at));
      return { data: list };
    },
  );

  routes.get(
    '/tenants/:tenantId/conversations/:userPhone/messages',
    {
      schema: {
        tags,
        summary: "The conversation's latest messages, oldest first",
        params: customerParams,
        response: { 200: z.object({ data: z.array(inboxMessage) }), ...errorResponses },
      },
    },
    async (request) => ({
      data: await (await storeOf(request.params.tenantId)).thread(phoneOf(request), THREAD_LIMIT),
    }),
  );

  routes.post(
    '/tenants/:tenantId/conversations/:userPhone/messages',
    {
      config: agentMay,
      schema: {
        tags,
        summary:
          'Answer the customer as the business: text within 24 hours of their last message, or an approved template at any time. Takes the conversation over from the bot',
        params: customerParams,
        body: agentMessageBody,
        response: { 201: inboxMessage, ...errorResponses, 409: errorBody, 502: errorBody },
      },
    },
    async (request, reply) => {
      const { tenantId } = request.params;
      const userPhone = phoneOf(request);
      const store = await storeOf(tenantId);
      const credentials = await inbox.credentials(tenantId);
      if (!credentials) throw conflict('The tenant has no WhatsApp phone number id or access token to send with');
      const body = request.body;
      let text: string;
      let template: string | null = null;
      if ('text' in body) {
        const last = await store.lastInboundAt(userPhone);
        if (!last || !isWithinServiceWindow(last, new Date())) {
          throw new AdminApiError(
            409,
            'Outside the 24-hour window',
            last
              ? `The customer last wrote at ${last.toISOString()}; free-form text is deliverable until ${new Date(last.getTime() + SERVICE_WINDOW_MS).toISOString()}. Send an approved template instead`
              : 'The customer has not written to this number; send an approved template instead',
          );
        }
        text = body.text;
      } else {
        template = body.template.name;
        text = [`[template ${body.template.name} (${body.template.language})]`, ...body.template.parameters].join(' ');
      }
      const principal = principalOf(request);
      const userId = principal.kind === 'user' ? principal.userId : null;
      const logContext = { tenantId, userId, actor: actorOf(principal) };
      let sent: { whatsappMessageId: string };
      try {
        sent =
          'text' in body
            ? await inbox.sender.sendText(credentials, userPhone, body.text, { replyToMessageId: null })
            : await inbox.sender.sendTemplate(credentials, userPhone, {
                name: body.template.name,
                language: body.template.language,
                bodyParameters: body.template.parameters,
              });
      } catch (err) {
        if (!(err instanceof GraphApiError)) throw err;
        request.log.warn(
          { ...logContext, httpStatus: err.httpStatus, code: err.code, error: err.message },
          'agent message refused by the Graph API',
        );
        return reply.status(502).send({ error: 'WhatsApp did not accept the message', details: refusalOf(err) });
      }
      const row = await store.recordAgentMessage(
        { userPhone, text, template, whatsappMessageId: sent.whatsappMessageId, userId, actor: actorOf(principal) },
        new Date(Date.now() + TAKE_OVER_MS),
      );
      request.log.info({ ...logContext, messageId: sent.whatsappMessageId, template }, 'agent message sent');
      inbox.announce(tenantId);
      return reply.status(201).send(row);
    },
  );

  routes.post(
    '/tenants/:tenantId/conversations/:userPhone/resolve',
    {
      config: agentMay,
      schema: {
        tags,
        summary: "Hand the conversation back to the bot: it answers the customer's next message",
        params: customerParams,
        response: { 200: conversationState, ...errorResponses },
      },
    },
    async (request) => {
      const state = await (await storeOf(request.params.tenantId)).resolve(
        phoneOf(request),
        actorOf(principalOf(request)),
      );
      inbox.announce(request.params.tenantId);
      return state;
    },
  );

  routes.post(
    '/tenants/:tenantId/conversations/:userPhone/assign',
    {
      config: agentMay,
      schema: {
        tags,
        summary: "Assign the conversation to one of the tenant's people (null: nobody)",
        params: customerParams,
        body: assignBody,
        response: { 200: conversationState, ...errorResponses },
      },
    },
    async (request) => {
      const state = await (await storeOf(request.params.tenantId)).assign(
        phoneOf(request),
        request.body.user_id,
        actorOf(principalOf(request)),
      );
      if (state === 'no_such_user') throw badRequest("user_id is not one of this tenant's people");
      inbox.announce(request.params.tenantId);
      return state;
    },
  );

  routes.get(
    '/tenants/:tenantId/whatsapp-templates',
    {
      schema: {
        tags,
        summary:
          "The tenant's approved WhatsApp message templates (from Meta, kept a few minutes), for answering outside the 24-hour window",
        params: tenantParams,
        response: {
          200: z.object({ data: z.array(whatsappTemplate) }),
          ...errorResponses,
          409: errorBody,
          502: errorBody,
        },
      },
    },
    async (request: FastifyRequest<{ Params: { tenantId: string } }>, reply) => {
      const { tenantId } = request.params;
      const store = await storeOf(tenantId);
      const [credentials, account] = await Promise.all([inbox.credentials(tenantId), store.businessAccountId()]);
      if (!credentials || !account)
        throw conflict("Set the tenant's whatsapp_business_account_id and WhatsApp access token to list its templates");
      try {
        return { data: await inbox.templates.approvedTemplates(credentials, account) };
      } catch (err) {
        request.log.warn({ tenantId, error: errorText(err) }, 'listing WhatsApp templates failed');
        return reply.status(502).send({
          error: 'WhatsApp did not list the templates',
          details: err instanceof GraphApiError ? refusalOf(err) : 'The Graph API could not be reached',
        });
      }
    },
  );
};

/** What Meta said, without anything of the request (the token never is in an error). */
function refusalOf(err: GraphApiError): string {
  return err.code === null
    ? `The Graph API answered HTTP ${err.httpStatus ?? 'nothing'}`
    : `The Graph API refused it (code ${err.code}): ${err.message}`.slice(0, 500);
}
