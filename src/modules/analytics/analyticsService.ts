// Turns the database's figures into the analytics report (costs from the price table, Meta error
// codes, rates), and the unanswered questions into groups worth teaching as FAQs.
import { costOf, roundUsd, type AiPriceTable } from '../../domain/aiCost.js';
import type { DayRange } from '../../domain/dayRange.js';
import { deliveryErrorOf } from '../../domain/deliveryError.js';
import { faqEntriesOf } from '../../domain/faqEntries.js';
import { FaqMatcher } from '../../domain/faqMatcher.js';
import { settingsTextsOf } from '../../domain/tenantSettings.js';
import { QuestionGrouper, type AskedWording } from '../../domain/questionGroups.js';
import type { WordVectorSource } from '../../domain/wordVectors.js';
import type { AnalyticsReport, QuestionsToTeachReport } from './analyticsReport.js';
import { inSlices } from './inSlices.js';
import type { AnalyticsQueries, AnalyticsStores, LogFigures, PaymentFigureStores } from './ports.js';

/** Distinct wordings read per request, the most asked: enough for the 100 groups a page shows (grouping takes at most MAX_GROUPED_WORDINGS). */
export const MAX_WORDINGS = 500;

export class AnalyticsService implements AnalyticsQueries {
  constructor(
    private readonly stores: AnalyticsStores,
    private readonly prices: AiPriceTable,
    private readonly payments?: PaymentFigureStores,
    /** The word vectors the reply matcher uses, so "taught already" means what it means at message time. */
    private readonly wordVectors: WordVectorSource = () => null,
  ) {}

  async report(tenantId: string, range: DayRange): Promise<AnalyticsReport | null> {
    const figures = await this.stores.forTenant(tenantId).figures(range);
    if (!figures) return null;
    const usage = figures.modelUsage.map((m) => {
      const cost = costOf(this.prices, m.providerModel, m.prompt_tokens, m.completion_tokens);
      return {
        ...splitModel(m.providerModel),
        calls: m.calls,
        prompt_tokens: m.prompt_tokens,
        completion_tokens: m.completion_tokens,
        estimated_cost_usd: cost ?? 0,
        priced: cost !== null,
      };
    });
    const { totals } = figures;
    const decided = totals.answered_faq + totals.answered_ai + totals.not_answered;
    return {
      tenant_id: tenantId,
      from: range.from,
      to: range.to,
      totals: {
        ...totals,
        faq_hit_rate: decided === 0 ? null : Math.round((totals.answered_faq / decided) * 10_000) / 10_000,
        ai_calls_saved: totals.answered_faq,
        estimated_cost_usd: roundUsd(usage.reduce((sum, u) => sum + u.estimated_cost_usd, 0)),
      },
      daily: figures.daily,
      ai_usage: usage.map(({ priced: _priced, ...u }) => u),
      unpriced_models: usage
        .filter((u) => !u.priced)
        .map((u) => `${u.provider}:${u.model}`)
        .sort(),
      provider_failures: figures.providerFailures,
      escalations: figures.escalationReasons,
      delivery_failures: byErrorCode(figures.deliveryErrors),
      busiest_hours: figures.busiestHours,
      payments: this.payments
        ? await this.payments.forTenant(tenantId).paymentFigures(range)
        : { collected_kes: 0, paid: 0, failed: 0, pending: 0, success_rate: null, daily: [], failures_by_reason: [] },
    };
  }

  async questionsToTeach(tenantId: string, range: DayRange, limit: number): Promise<QuestionsToTeachReport | null> {
    const store = this.stores.forTenant(tenantId);
    const wordings = await store.askedQuestions(range, MAX_WORDINGS);
    const knowledge = wordings && (await store.faqKnowledge());
    if (!wordings || !knowledge) return null;
    // A wording the FAQ now answers was taught already.
    const settings = settingsTextsOf(knowledge.settingsMetadata);
    const threshold = settings.faq_threshold;
    const faq = new FaqMatcher(faqEntriesOf(knowledge.faqs), { wordVectors: this.wordVectors() });
    // Matching and grouping hundreds of wordings takes hundreds of milliseconds: done in slices.
    const open: AskedWording[] = [];
    let checked = 0;
    await inSlices(() => {
      const wording = wordings[checked++];
      if (!wording) return false;
      if (!faq.match(wording.text, threshold)) open.push(wording);
      return true;
    });
    const grouper = new QuestionGrouper(open);
    await inSlices(() => grouper.step());
    return {
      tenant_id: tenantId,
      from: range.from,
      to: range.to,
      questions: grouper
        .groups()
        .slice(0, limit)
        .map((g) => ({
          question: g.question,
          count: g.count,
          examples: g.examples,
          last_asked_at: g.lastAskedAt,
          outcome: g.answeredByAi * 2 >= g.count ? 'ai' : 'not_answered',
          suggested_answer: g.latestAiAnswer
            ? withoutAddedText(g.latestAiAnswer.text, [settings.training_prompt, settings.handoff_message])
            : null,
        })),
    };
  }
}

/** "openrouter:meta-llama/llama-3:free" → provider openrouter, model meta-llama/llama-3:free. */
function splitModel(providerModel: string): { provider: string; model: string } {
  const colon = providerModel.indexOf(':');
  return colon < 0
    ? { provider: 'unknown', model: providerModel }
    : { provider: providerModel.slice(0, colon), model: providerModel.slice(colon + 1) };
}

/** One entry per Meta error code (the most frequent title names it); errors without a code by title. */
function byErrorCode(errors: LogFigures['deliveryErrors']): AnalyticsReport['delivery_failures'] {
  const groups = new Map<string, { code: number | null; titles: Map<string | null, number>; count: number }>();
  for (const e of errors) {
    const { code, title } = deliveryErrorOf(e.errorMessage);
    const key = code !== null ? `code:${code}` : `title:${title ?? ''}`;
    const group = groups.get(key) ?? { code, titles: new Map(), count: 0 };
    group.count += e.count;
    group.titles.set(title, (group.titles.get(title) ?? 0) + e.count);
    groups.set(key, group);
  }
  return [...groups.values()]
    .map((g) => ({
      code: g.code,
      title: [...g.titles].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])))[0]?.[0] ?? null,
      count: g.count,
    }))
    .sort((a, b) => b.count - a.count || (a.code ?? Infinity) - (b.code ?? Infinity));
}

/** The AI's own words: the training question or handoff note the bot appended is not part of an FAQ answer. */
function withoutAddedText(answer: string, added: string[]): string {
  let text = answer;
  for (const suffix of added) if (text.endsWith(`\n\n${suffix}`)) text = text.slice(0, -suffix.length - 2);
  return text;
}
