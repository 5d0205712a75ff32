// Shapes of the team and sign-in routes (validated by zod, listed in the OpenAPI document).
import { z } from 'zod';
import { tenantParams } from '../tenants/adminSchemas.js';
import { MIN_PASSWORD_LENGTH } from './passwordHash.js';

export const email = z
  .string()
  .trim()
  .max(320)
  .pipe(z.email())
  .transform((v) => v.toLowerCase());
const role = z.enum(['owner', 'agent']);
// A password longer than this costs scrypt time for nothing a person would type.
const password = z.string().min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`).max(1024);

export const teamUserView = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role,
  state: z.enum(['active', 'invited', 'disabled']),
  setup_expires_at: z.string().nullable(),
  last_login_at: z.string().nullable(),
  created_at: z.string(),
});

export const invitedUser = teamUserView.extend({
  setup_token: z.string().describe('Shown once: the person sets a password with it (POST /auth/setup) within 72 hours'),
  setup_url: z.string().nullable().describe('The dashboard page that uses the token (PUBLIC_BASE_URL set), else null'),
});

export const newUserBody = z.strictObject({ email, name: z.string().trim().min(1).max(255), role });
export const userChangeBody = z
  .strictObject({
    name: z.string().trim().min(1).max(255).optional(),
    role: role.optional(),
    disabled: z.boolean().optional(),
  })
  .refine((body) => Object.keys(body).length > 0, 'send at least one of name, role, disabled');
export const userParams = tenantParams.extend({ userId: z.uuid() });

export const setupBody = z.strictObject({ token: z.string().min(1).max(256), password });
export const loginBody = z.strictObject({
  email: z
    .string()
    .max(320)
    .transform((v) => v.trim().toLowerCase()),
  password: z.string().min(1).max(1024),
});
export const signedIn = z.object({ user_id: z.string(), tenant_id: z.string(), role, expires_at: z.string() });
