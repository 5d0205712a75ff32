// What each kind of WhatsApp message means for the reply: text and chosen buttons are answered as
// text, a location is described to the AI (or answered with the tenant's own text), media goes to
// the media understanding, orders are passed on to the tenant's people, and the rest is either
// acknowledged with a short notice or deliberately left unanswered, always with a reason.
import {
  contactNames,
  contactsOf,
  describeLocation,
  describeOrder,
  editedTextOf,
  innerTypeOf,
  locationOf,
  orderOf,
  reactionOf,
} from '../../domain/messageDescriptions.js';
import { ratingOf } from '../../domain/answerRating.js';
import type { ConversationStores } from './carePorts.js';
import type { Escalator } from './escalator.js';
import type { NoticeStores } from './messageKindPorts.js';
import { fillIn, messageKindSettingsOf } from './messageKindSettings.js';
import type { ReplyJob, TenantStores } from './ports.js';
import type { ReplyLogger } from './replyLogger.js';
import type { TenantContext } from './tenantContextCache.js';
import type { MessageUnderstanding, Understanding } from './understanding.js';

export interface MessageKindsOptions {
  /** Images, documents, audio and video. */
  media: MessageUnderstanding;
  conversations: ConversationStores;
  notices: NoticeStores;
  /** For the conversation that goes with an order passed on. */
  stores: TenantStores;
  escalator: Pick<Escalator, 'escalate'>;
  logger: ReplyLogger;
}

const NOTICE_INTERVAL_MS = 60 * 60_000;
/** What the customer opening the chat (request_welcome) is answered as. */
export const WELCOME_TEXT = 'hello';
export const ORDER_REASON = 'the customer placed an order';
export const REACTION_RECORDED = 'reaction recorded as feedback';

export class MessageKinds implements MessageUnderstanding {
  constructor(private readonly options: MessageKindsOptions) {}

  async understand(job: ReplyJob, context: TenantContext): Promise<Understanding> {
    const message = job.whatsapp;
    const text = job.text?.trim() ?? '';
    switch (job.messageType) {
      case 'text':
        return text ? { kind: 'text', text } : skip('an empty text message');
      case 'button':
        return text ? { kind: 'text', text } : this.unsupported(job, context, 'unsupported');
      case 'interactive':
        return this.interactive(job, context, text);
      case 'request_welcome':
        return { kind: 'text', text: WELCOME_TEXT };
      case 'location':
        return this.location(job, context);
      case 'contacts':
        return this.contacts(job, context);
      case 'order':
        return this.order(job, context);
      case 'reaction':
        return this.reaction(job);
      case 'edit': {
        const edited = editedTextOf(message);
        return edited
          ? { kind: 'text', text: edited }
          : notice(messageKindSettingsOf(context.configuration.settings.metadata).edit_reply);
      }
      case 'revoke':
        return skip('the customer deleted a message');
      case 'system': {
        const type = innerTypeOf(message, 'system') ?? 'unknown';
        this.options.logger.info(
          { tenantId: job.tenantId, messageId: job.whatsappMessageId, systemType: type },
          'system message received',
        );
        return skip(`a system message (${type}) needs no answer`);
      }
      case 'image':
      case 'document':
      case 'audio':
      case 'video':
        // A download that may work later throws, and the queue tries the message again.
        return this.options.media.understand(job, context);
      case 'sticker':
        return this.unsupported(job, context, 'sticker');
      default:
        return this.unsupported(job, context, 'unsupported');
    }
  }

  /** Buttons and list rows are answered as the text the customer chose; other replies need none. */
  private interactive(job: ReplyJob, context: TenantContext, text: string): Promise<Understanding> | Understanding {
    if (text) return { kind: 'text', text };
    const type = innerTypeOf(job.whatsapp, 'interactive');
    if (type === 'call_permission_reply') return skip('the customer answered a call permission request');
    return this.unsupported(job, context, 'unsupported');
  }

  private location(job: ReplyJob, context: TenantContext): Understanding | Promise<Understanding> {
    const location = locationOf(job.whatsapp);
    if (!location) return this.unsupported(job, context, 'unsupported');
    const own = messageKindSettingsOf(context.configuration.settings.metadata).location_reply;
    if (own) return notice(own);
    return { kind: 'ai', text: describeLocation(location), images: [] };
  }

  private contacts(job: ReplyJob, context: TenantContext): Understanding {
    const cards = contactsOf(job.whatsapp);
    this.options.logger.info(
      { tenantId: job.tenantId, messageId: job.whatsappMessageId, contacts: cards.length },
      'the customer shared contacts',
    );
    const names = contactNames(cards) || 'the contact';
    return notice(
      fillIn(messageKindSettingsOf(context.configuration.settings.metadata).contacts_reply, { contacts: names }),
    );
  }

  /** Logged, passed on to the tenant's people (every order, without pausing the bot) and acknowledged. */
  private async order(job: ReplyJob, context: TenantContext): Promise<Understanding> {
    const order = orderOf(job.whatsapp);
    const items = order ? describeOrder(order) : 'The order listed no items.';
    const log = { tenantId: job.tenantId, messageId: job.whatsappMessageId };
    this.options.logger.info({ ...log, items: order?.items.length ?? 0 }, 'the customer placed an order');
    // The people see the items where a text message would show its words.
    const store = this.options.stores.forTenant(job.tenantId);
    const outcome = await this.options.escalator.escalate(
      { ...job, text: `Order:\n${items}` },
      context,
      store,
      ORDER_REASON,
      { handOver: false },
    );
    if (outcome === 'unavailable')
      this.options.logger.warn(log, 'an order could not be passed on; it is in the message log');
    return notice(fillIn(messageKindSettingsOf(context.configuration.settings.metadata).order_reply, { items }));
  }

  /** A 👍/👎 on one of the bot's answers is stored as its rating (training mode rates before this). */
  private async reaction(job: ReplyJob): Promise<Understanding> {
    const { messageId, emoji } = reactionOf(job.whatsapp);
    if (!emoji) return skip('the customer removed a reaction');
    const rating = ratingOf(emoji);
    if (rating && messageId) {
      const conversation = this.options.conversations.forTenant(job.tenantId);
      const answer = await conversation.answerByWhatsAppId(messageId);
      if (answer) await conversation.saveRating(job.userPhone, answer, rating, 'reaction');
    }
    return skip(REACTION_RECORDED);
  }

  /** Stickers and messages we cannot read: a short notice, at most once an hour per conversation. */
  private async unsupported(
    job: ReplyJob,
    context: TenantContext,
    kind: 'sticker' | 'unsupported',
  ): Promise<Understanding> {
    const notices = this.options.notices.forTenant(job.tenantId);
    if (await notices.noticeSentWithin(job.userPhone, kind, NOTICE_INTERVAL_MS, job.id)) {
      return skip(
        `${kind === 'sticker' ? 'a sticker' : 'an unsupported message'} was already acknowledged within the hour`,
      );
    }
    await notices.markNotice(job.id, kind);
    const settings = messageKindSettingsOf(context.configuration.settings.metadata);
    return notice(kind === 'sticker' ? settings.sticker_reply : settings.unsupported_reply);
  }
}

function skip(reason: string): Understanding {
  return { kind: 'skip', reason };
}

function notice(text: string): Understanding {
  return {
    kind: 'reply',
    reply: { text, source: 'notice', trainingDataId: null, aiModelUsed: null, templateUsed: null, error: null },
  };
}
