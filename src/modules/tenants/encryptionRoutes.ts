// Key rotation: re-encrypts every stored secret with the current key (administrator only).
import type { FastifyPluginAsync } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AdminApiOptions } from './adminApiOptions.js';
import { errorResponses } from './adminSchemas.js';

export const encryptionRoutes: FastifyPluginAsync<AdminApiOptions> = async (app, { reencryptAllSecrets }) => {
  app.withTypeProvider<ZodTypeProvider>().post(
    '/admin/encryption/rotate',
    {
      config: { adminOnly: true },
      schema: {
        tags: ['administration'],
        summary: 'Re-encrypt every stored secret with the current encryption key',
        response: {
          200: z.object({
            rewritten: z.number().describe('Secrets re-encrypted'),
            unreadable: z.number().optional().describe('Secrets no key of the keyring can open (left as they are)'),
          }),
          ...errorResponses,
        },
      },
    },
    async () => reencryptAllSecrets(),
  );
};
