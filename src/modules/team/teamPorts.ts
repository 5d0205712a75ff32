// What team accounts and dashboard sessions need from storage; adapters implement these.
import type { TeamRole } from '../tenants/principal.js';

export interface TeamUserView {
  id: string;
  email: string;
  name: string;
  role: TeamRole;
  /** active: can sign in; invited: the setup link was not used yet; disabled: refused. */
  state: 'active' | 'invited' | 'disabled';
  setup_expires_at: string | null;
  last_login_at: string | null;
  created_at: string;
}

export interface NewTeamUser {
  email: string;
  name: string;
  role: TeamRole;
  setupTokenHash: string;
  setupExpiresAt: Date;
}

/** One tenant's people; every statement is filtered by the tenant id the store was made for. */
export interface TenantTeamStore {
  list(): Promise<TeamUserView[]>;
  get(userId: string): Promise<TeamUserView | null>;
  /** null: the tenant does not exist; 'taken': the email belongs to an account already. */
  create(user: NewTeamUser, actor: string): Promise<TeamUserView | 'taken' | null>;
  update(
    userId: string,
    change: { name?: string; role?: TeamRole; disabled?: boolean },
    actor: string,
  ): Promise<TeamUserView | null>;
  /** A new one-time setup link (a forgotten password), replacing any earlier one. */
  reissueSetup(userId: string, setupTokenHash: string, expiresAt: Date, actor: string): Promise<TeamUserView | null>;
  remove(userId: string, actor: string): Promise<boolean>;
}

export interface TeamAccess {
  forTenant(tenantId: string): TenantTeamStore;
}

export interface SignInAccount {
  userId: string;
  tenantId: string;
  passwordHash: string | null;
  usable: boolean;
}

export interface SessionPrincipal {
  sessionId: string;
  userId: string;
  tenantId: string;
  role: TeamRole;
  tenantActive: boolean;
}

/** Sign-in and sessions: looked up by email or token hash, before any tenant is known. */
export interface SessionDirectory {
  accountByEmail(email: string): Promise<SignInAccount | null>;
  /** Sets the password of the account whose live setup token this is, and uses the token up. */
  completeSetup(
    setupTokenHash: string,
    passwordHash: string,
  ): Promise<{ userId: string; tenantId: string; email: string } | null>;
  openSession(userId: string, tokenHash: string, expiresAt: Date): Promise<string>;
  session(tokenHash: string): Promise<SessionPrincipal | null>;
  revokeSession(sessionId: string): Promise<void>;
}
