// Where Daraja posts an STK push's result: PUBLIC_BASE_URL + /mpesa/callback/<token>. Outside the
// admin API (Daraja has no key) and always answered 200 at once with Daraja's accepted shape, so
// Daraja never retries or hangs; whatever the body, it is handled (or ignored and logged) by
// PaymentCallbacks. Any content type is read as text, so a strange body is ignored, not a 4xx.
import type { FastifyPluginAsync } from 'fastify';
import { errorText } from '../../domain/errorText.js';
import type { PaymentCallbacks } from './paymentCallbacks.js';
import { CALLBACK_PATH } from './paymentService.js';

/** A real callback is well under 2 KB. */
const CALLBACK_BODY_LIMIT = 16 * 1024;
const ACCEPTED = { ResultCode: 0, ResultDesc: 'Accepted' };

export const callbackRoutes: FastifyPluginAsync<{ callbacks: PaymentCallbacks }> = async (app, { callbacks }) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: CALLBACK_BODY_LIMIT }, (_request, body, done) =>
    done(null, body),
  );

  app.post<{ Params: { token: string } }>(
    `${CALLBACK_PATH}/:token`,
    { bodyLimit: CALLBACK_BODY_LIMIT },
    async (request, reply) => {
      try {
        await callbacks.handle(request.params.token, typeof request.body === 'string' ? request.body : '');
      } catch (err) {
        // Our failure, not Daraja's: the reconciliation query settles the payment later.
        request.log.error({ error: errorText(err) }, 'M-Pesa callback could not be handled; the query will settle it');
      }
      return reply.status(200).header('cache-control', 'no-store').send(ACCEPTED);
    },
  );
};
