// Decides what to say: the tenant's FAQ when it matches, else the AI chain (its Markdown turned
// into WhatsApp formatting), else an apology.
import { aiFallbackOrder, providerSettings } from '../../domain/aiFallbackOrder.js';
import { AllProvidersFailedError, type AiProviderName, type ChatImagePart } from '../../domain/aiTypes.js';
import { distinctFaqs } from '../../domain/faqEntries.js';
import { buildPrompt } from '../../domain/promptBuilder.js';
import { withinServerPolicy, type ServerAiPolicy } from '../../domain/serverAiPolicy.js';
import { fitToLength } from '../../domain/replyText.js';
import { visionTargets } from '../../domain/visionModels.js';
import { toWhatsApp } from '../../domain/whatsappFormatting.js';
import type { SemanticFaqMatch } from '../embeddings/ports.js';
import type { AnswerTools } from './answerTools.js';
import type { PresenceSignals } from './presenceSignals.js';
import type { AiResponder, DecidedReply } from './ports.js';
import type { Turn } from './turn.js';

export const DEFAULT_APOLOGY =
  "Sorry, we can't answer that right now. A member of our team will get back to you as soon as possible.";

/** The error a "we'll get back to you" reply carries when AI answers are off and no FAQ matched. */
export const AI_OFF_AND_NO_FAQ = 'AI responses are disabled and no FAQ matched';

const HISTORY_TURNS = 10;
const KNOWLEDGE_ENTRIES = 5;

export interface ServerAiSettings {
  keys: Partial<Record<AiProviderName, string>>;
  models: Record<AiProviderName, string>;
  /** The only models the server's keys pay for (config.ai.serverAllowedModels). */
  allowedModels: ReadonlySet<string>;
}

export type Composition = { kind: 'reply'; reply: DecidedReply } | { kind: 'skip'; reason: string };

/** What to answer: the customer's text (FAQ first), or with `direct` straight to the AI, with any pictures. */
export interface Question {
  text: string;
  direct?: boolean;
  images?: ChatImagePart[];
  /** A vision model to ask about the images instead of the tenant's own (see visionTargets). */
  model?: string;
}

export class ReplyComposer {
  constructor(
    private readonly ai: AiResponder,
    private readonly server: ServerAiSettings,
    /** Shows "typing…" while the AI is asked. */
    private readonly presence: Pick<PresenceSignals, 'showTyping'>,
    /** Functions the AI may call (payments in the chat). */
    private readonly tools?: AnswerTools,
    /** Provider embeddings: asked once when the lexical matcher answers nothing (see modules/embeddings). */
    private readonly semantic?: SemanticFaqMatch,
  ) {}

  async compose(turn: Turn, question?: Question): Promise<Composition> {
    const { job, tenant: context, settings } = turn;
    const text = (question?.text ?? job.text ?? '').trim();
    if (!text) return { kind: 'skip', reason: `a ${job.messageType} message carries no text to answer` };
    const { configuration } = context;
    const templateUsed = configuration.template?.name ?? null;

    // FAQ answers are the owner's words: sent verbatim, never reformatted.
    const faq = question?.direct
      ? null
      : (context.faq.match(text, settings.texts.faq_threshold) ??
        (await this.semantic?.match(job.tenantId, context, text)) ??
        null);
    if (faq) {
      return {
        kind: 'reply',
        reply: {
          text: faq.entry.answer,
          source: 'faq',
          trainingDataId: faq.entry.id,
          aiModelUsed: null,
          templateUsed: null,
          error: null,
        },
      };
    }
    if (!settings.enableAiResponses) {
      return { kind: 'reply', reply: this.apology(turn, templateUsed, AI_OFF_AND_NO_FAQ) };
    }

    const metadata = configuration.tenant.metadata;
    const chain = aiFallbackOrder({
      tenant: {
        provider: configuration.tenant.aiProvider,
        model: configuration.tenant.aiModel,
        apiKey: configuration.tenant.aiApiKey,
      },
      tenantFallbacks: {
        keys: providerSettings(metadata['fallback_keys']),
        models: providerSettings(metadata['fallback_models']),
      },
      server: this.server,
    });
    const images = question?.images ?? [];
    // A picture goes only to models that can see it. Last, the server's keys pay only for the
    // tenants and models the server allows, whatever the rows say.
    const targets = withinServerPolicy(
      images.length > 0 ? visionTargets(chain, question?.model) : chain,
      this.policyFor(configuration.tenant),
    );
    const rows = configuration.training;
    const prompt = buildPrompt({
      businessName: configuration.tenant.name,
      template: configuration.template,
      rules: rows.filter((r) => r.dataType === 'rule'),
      examples: rows.filter((r) => r.dataType === 'example'),
      // Wordings of one FAQ (its variants) count once: the AI sees distinct FAQs.
      knowledge: distinctFaqs(context.faq.top(text, Number.MAX_SAFE_INTEGER))
        .slice(0, KNOWLEDGE_ENTRIES)
        .map((m) => m.entry),
      history: await turn.data.replies.recentConversation(job.userPhone, job.id, HISTORY_TURNS),
      message: text,
      images,
    });
    // Shown while the AI works, and settled before the answer goes out so it cannot arrive after it.
    const typing = targets.length > 0 ? this.presence.showTyping(turn) : undefined;
    try {
      const tools = images.length === 0 && this.tools ? await this.tools.offered(turn) : [];
      const answer = await this.ai.answer(targets, prompt.messages, {
        maxTokens: prompt.maxTokens,
        tenantId: job.tenantId,
        logContext: turn.log,
        ...(tools.length > 0 ? { tools } : {}),
      });
      const called =
        answer.toolCalls?.length && this.tools ? await this.tools.run(turn, answer.toolCalls, answer.text) : null;
      const failures = answer.failures.map((f) => `${f.provider}:${f.model} (${f.error})`).join('; ');
      return {
        kind: 'reply',
        reply: {
          // A tool's answer (an amount to confirm) is never shortened: its last line is what the customer must see.
          text:
            called !== null
              ? toWhatsApp(called)
              : fitToLength(toWhatsApp(answer.text), configuration.template?.maxResponseLength ?? null),
          source: 'ai',
          trainingDataId: null,
          aiModelUsed: `${answer.provider}:${answer.model}`,
          templateUsed,
          error: failures ? `Fell back after: ${failures}` : null,
          ai: { usage: answer.usage, failures: answer.failures },
        },
      };
    } catch (err) {
      if (!(err instanceof AllProvidersFailedError)) throw err;
      return {
        kind: 'reply',
        reply: { ...this.apology(turn, templateUsed, err.message), ai: { usage: null, failures: err.failures } },
      };
    } finally {
      await typing;
    }
  }

  private policyFor(tenant: { serverAiAllowed: boolean }): ServerAiPolicy {
    return { allowed: tenant.serverAiAllowed, serverKeys: this.server.keys, allowedModels: this.server.allowedModels };
  }

  private apology(turn: Turn, templateUsed: string | null, error: string): DecidedReply {
    return {
      text: turn.settings.texts.fallback_message ?? DEFAULT_APOLOGY,
      source: 'fallback',
      trainingDataId: null,
      aiModelUsed: null,
      templateUsed,
      error,
    };
  }
}
