// What message kinds need from the database: which notices a customer got recently.

/** One tenant's notices (a sticker acknowledged, ...); no method takes a tenant id. */
export interface NoticeStore {
  /** Whether the customer got a notice of this kind, on an answered message other than `exceptInboundId`, within `withinMs`. */
  noticeSentWithin(userPhone: string, kind: string, withinMs: number, exceptInboundId: string): Promise<boolean>;
  /** Records on the inbound message that it is being answered with a notice of this kind. */
  markNotice(inboundId: string, kind: string): Promise<void>;
}
