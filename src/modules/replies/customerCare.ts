// Wraps the composer with what sits around an answer: a handed-over conversation is not answered,
// a 👍/👎 right after an answer is stored as its rating, the message's kind decides what there is
// to answer (text, a picture, a notice, nothing), a request for a person or an answer
// nobody could give escalates to the tenant's people, and training mode asks "Did this help?".
import { aiCannotHelp } from '../../domain/aiCannotHelp.js';
import { ratingOf } from '../../domain/answerRating.js';
import { asksForHuman } from '../../domain/humanRequest.js';
import type { EscalationOutcome, Escalator } from './escalator.js';
import { AI_OFF_AND_NO_FAQ, type Composition, type Question } from './replyComposer.js';
import type { DecidedReply } from './ports.js';
import type { Turn } from './turn.js';
import type { MessageUnderstanding } from './understanding.js';

export interface Composer {
  /** `handedOver`: the controls found a person in charge of the conversation. */
  compose(turn: Turn, conversation: { handedOver: boolean }): Promise<Composition>;
}

/** The FAQ-then-AI answer to a question (ReplyComposer). */
export interface AnswerComposer {
  compose(turn: Turn, question: Question): Promise<Composition>;
}

const HANDED_OVER = 'handed_over';
/** Kinds whose understood text is the customer's own words (not, say, a chat opening read as "hello"). */
const SAID_WITHOUT_TYPING = new Set(['audio', 'edit']);

export class CustomerCare implements Composer {
  constructor(
    private readonly composer: AnswerComposer,
    private readonly escalator: Pick<Escalator, 'escalate'>,
    /** What the message means (text, a picture, a location, a sticker...), decided after the handover check. */
    private readonly understanding: MessageUnderstanding,
  ) {}

  async compose(turn: Turn, conversation: { handedOver: boolean }): Promise<Composition> {
    if (conversation.handedOver) return { kind: 'skip', reason: HANDED_OVER };
    const { job, settings } = turn;
    const care = settings.texts;
    if (settings.enableTrainingMode) {
      const rated = await this.rate(turn);
      if (rated) return rated;
    }
    const understood = await this.understanding.understand(turn);
    if (understood.kind === 'skip' || understood.kind === 'reply') return understood;
    const text = understood.text.trim();
    // A transcript or an edit's new text becomes the message's body: later AI turns, the log and
    // the questions to teach see what the customer said, not an empty audio row.
    if (understood.kind === 'text' && SAID_WITHOUT_TYPING.has(job.messageType) && text && text !== job.text?.trim()) {
      await turn.data.replies.rememberUnderstoodText(job.id, text);
    }
    if (understood.kind === 'text' && text && asksForHuman(text)) {
      const outcome = await this.escalator.escalate(turn, 'the customer asked for a person');
      if (outcome !== 'unavailable') return reply(care.handoff_message, 'handoff');
    }
    const question: Question =
      understood.kind === 'ai'
        ? { text, direct: true, images: understood.images, ...(understood.model ? { model: understood.model } : {}) }
        : { text };

    const composition = await this.composer.compose(turn, question);
    if (composition.kind === 'skip') return composition;
    const answer = understood.note
      ? { ...composition.reply, text: `${understood.note}\n\n${composition.reply.text}` }
      : composition.reply;
    // Every apology the composer makes means a person has to pick the question up.
    const reason =
      answer.source === 'fallback'
        ? answer.error === AI_OFF_AND_NO_FAQ
          ? 'AI answers are switched off and no FAQ matched'
          : 'every AI provider failed'
        : answer.source === 'ai' && aiCannotHelp(answer.text)
          ? 'the AI could not answer'
          : null;
    const outcome: EscalationOutcome | null = reason ? await this.escalator.escalate(turn, reason) : null;
    if (outcome === 'handed_over')
      return { kind: 'reply', reply: { ...answer, text: `${answer.text}\n\n${care.handoff_message}` } };
    if (settings.enableTrainingMode && (answer.source === 'faq' || answer.source === 'ai')) {
      return { kind: 'reply', reply: { ...answer, text: `${answer.text}\n\n${care.training_prompt}` } };
    }
    return { kind: 'reply', reply: answer };
  }

  /** A rating of the answer just before (a reply) or of the answer reacted to; null when this is no rating. */
  private async rate(turn: Turn): Promise<Composition | null> {
    const { job } = turn;
    const conversation = turn.data.conversations;
    if (job.messageType === 'reaction') {
      const reaction = await conversation.reactionOf(job.id);
      const rating = reaction ? ratingOf(reaction.emoji) : null;
      const answer = reaction && rating ? await conversation.answerByWhatsAppId(reaction.messageId) : null;
      if (!answer || !rating) return null;
      await conversation.saveRating(job.userPhone, answer, rating, 'reaction');
      // A reaction is a gesture, not a message: thanking for it would be noise.
      return { kind: 'skip', reason: 'rating recorded' };
    }
    const rating = job.text ? ratingOf(job.text) : null;
    const answer = rating ? await conversation.answerJustBefore(job.id) : null;
    if (!answer || !rating) return null;
    await conversation.saveRating(job.userPhone, answer, rating, 'reply');
    return reply(turn.settings.texts.rating_thanks, 'rating');
  }
}

function reply(text: string, source: DecidedReply['source']): Composition {
  return {
    kind: 'reply',
    reply: { text, source, trainingDataId: null, aiModelUsed: null, templateUsed: null, error: null },
  };
}
