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
import { fillIn } from '../../domain/tenantSettings.js';
import type { Escalator } from './escalator.js';
import type { ReplyLogger } from './replyLogger.js';
import { withJob, type Turn } from './turn.js';
import type { MessageUnderstanding, Understanding } from './understanding.js';

export interface MessageKindsOptions {
  /** Images, documents, audio and video. */
  media: MessageUnderstanding;
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

  async understand(turn: Turn): Promise<Understanding> {
    const { job } = turn;
    const message = job.whatsapp;
    const text = job.text?.trim() ?? '';
    switch (job.messageType) {
      case 'text':
        return text ? { kind: 'text', text } : skip('an empty text message');
      case 'button':
        return text ? { kind: 'text', text } : this.unsupported(turn, 'unsupported');
      case 'interactive':
        return this.interactive(turn, text);
      case 'request_welcome':
        return { kind: 'text', text: WELCOME_TEXT };
      case 'location':
        return this.location(turn);
      case 'contacts':
        return this.contacts(turn);
      case 'order':
        return this.order(turn);
      case 'reaction':
        return this.reaction(turn);
      case 'edit': {
        const edited = editedTextOf(message);
        return edited ? { kind: 'text', text: edited } : notice(turn.settings.texts.edit_reply);
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
        return this.options.media.understand(turn);
      case 'sticker':
        return this.unsupported(turn, 'sticker');
      default:
        return this.unsupported(turn, 'unsupported');
    }
  }

  /** Buttons and list rows are answered as the text the customer chose; other replies need none. */
  private interactive(turn: Turn, text: string): Promise<Understanding> | Understanding {
    if (text) return { kind: 'text', text };
    const type = innerTypeOf(turn.job.whatsapp, 'interactive');
    if (type === 'call_permission_reply') return skip('the customer answered a call permission request');
    return this.unsupported(turn, 'unsupported');
  }

  private location(turn: Turn): Understanding | Promise<Understanding> {
    const location = locationOf(turn.job.whatsapp);
    if (!location) return this.unsupported(turn, 'unsupported');
    const own = turn.settings.texts.location_reply;
    if (own) return notice(own);
    return { kind: 'ai', text: describeLocation(location), images: [] };
  }

  private contacts(turn: Turn): Understanding {
    const cards = contactsOf(turn.job.whatsapp);
    this.options.logger.info({ ...turn.log, contacts: cards.length }, 'the customer shared contacts');
    const names = contactNames(cards) || 'the contact';
    return notice(fillIn(turn.settings.texts.contacts_reply, { contacts: names }));
  }

  /** Logged, passed on to the tenant's people (every order, without pausing the bot) and acknowledged. */
  private async order(turn: Turn): Promise<Understanding> {
    const order = orderOf(turn.job.whatsapp);
    const items = order ? describeOrder(order) : 'The order listed no items.';
    const log = turn.log;
    this.options.logger.info({ ...log, items: order?.items.length ?? 0 }, 'the customer placed an order');
    // The people see the items where a text message would show its words.
    const outcome = await this.options.escalator.escalate(
      withJob(turn, { ...turn.job, text: `Order:\n${items}` }),
      ORDER_REASON,
      { handOver: false },
    );
    if (outcome === 'unavailable')
      this.options.logger.warn(log, 'an order could not be passed on; it is in the message log');
    return notice(fillIn(turn.settings.texts.order_reply, { items }));
  }

  /** A 👍/👎 on one of the bot's answers is stored as its rating (training mode rates before this). */
  private async reaction(turn: Turn): Promise<Understanding> {
    const { job } = turn;
    const { messageId, emoji } = reactionOf(job.whatsapp);
    if (!emoji) return skip('the customer removed a reaction');
    const rating = ratingOf(emoji);
    if (rating && messageId) {
      const conversation = turn.data.conversations;
      const answer = await conversation.answerByWhatsAppId(messageId);
      if (answer) await conversation.saveRating(job.userPhone, answer, rating, 'reaction');
    }
    return skip(REACTION_RECORDED);
  }

  /** Stickers and messages we cannot read: a short notice, at most once an hour per conversation. */
  private async unsupported(turn: Turn, kind: 'sticker' | 'unsupported'): Promise<Understanding> {
    const { job } = turn;
    const notices = turn.data.notices;
    if (await notices.noticeSentWithin(job.userPhone, kind, NOTICE_INTERVAL_MS, job.id)) {
      return skip(
        `${kind === 'sticker' ? 'a sticker' : 'an unsupported message'} was already acknowledged within the hour`,
      );
    }
    await notices.markNotice(job.id, kind);
    const { texts } = turn.settings;
    return notice(kind === 'sticker' ? texts.sticker_reply : texts.unsupported_reply);
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
