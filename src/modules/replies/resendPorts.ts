// What the resender of unconfirmed parts needs from the database.

/** An outbound part whose send was interrupted (a crash during the Graph call), claimed for its one resend. */
export interface UnconfirmedPart {
  /** The outbound row id: sent again as biz_opaque_callback_data. */
  id: string;
  tenantId: string;
  userPhone: string;
  /** Null when the tenant's logging policy erased the body: it cannot be sent again. */
  text: string | null;
  partIndex: number;
  /** The customer's message it answers (part 0 is threaded to it). */
  inReplyTo: string | null;
  /** The customer's last message in this conversation (the 24-hour window). */
  lastInboundAt: Date | null;
}

export interface UnconfirmedParts {
  /** Atomically claims up to `limit` parts unconfirmed for longer than `waitMs` and never resent:
   *  each is marked resent (and `sending`) in the same statement, so no process claims it again. */
  claimDue(waitMs: number, limit: number): Promise<UnconfirmedPart[]>;
  /** The resend's outcome; a status webhook that confirmed the part meanwhile wins. */
  finish(part: UnconfirmedPart, result: { whatsappMessageId: string } | { error: string }): Promise<void>;
}
