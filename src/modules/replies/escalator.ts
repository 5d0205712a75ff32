// Tells the tenant's people that a customer needs one: a WhatsApp notice to escalation_phone (a
// template when the tenant named one, since that number is usually outside the 24-hour window)
// and an email to escalation_email, each on its own so one refusing does not stop the other.
// At most one escalation per conversation per hour; a notified conversation pauses the bot.
import { errorText } from '../../domain/errorText.js';
import type { Mailer, TemplateSender } from './carePorts.js';
import type { LogContext, WhatsAppSender } from './ports.js';
import type { ReplyLogger } from './replyLogger.js';
import type { Turn } from './turn.js';

const ESCALATION_INTERVAL_MS = 60 * 60_000;
const LAST_MESSAGES = 5;
// WhatsApp refuses template parameters with newlines or very long text.
const TEMPLATE_PARAM_MAX = 900;

/** handed_over: someone was told and the bot is paused; notified: someone was told and the bot goes on
 *  (handOver: false); recent: someone was told within the hour; unavailable: nobody could be told. */
export type EscalationOutcome = 'handed_over' | 'notified' | 'recent' | 'unavailable';

export interface EscalatorOptions {
  whatsapp: WhatsAppSender & TemplateSender;
  /** Null when SMTP_URL or ESCALATION_FROM is not set. */
  mailer: Mailer | null;
  logger: ReplyLogger;
  now?: () => number;
  /** The conversation's page in the dashboard (PUBLIC_BASE_URL set), for the people told. */
  dashboardLink?: (tenantId: string, userPhone: string) => string | null;
}

export class Escalator {
  constructor(private readonly options: EscalatorOptions) {}

  /** Never throws: a failed escalation is logged and the message is still answered. With handOver:
   *  false (an order to confirm) the people are told every time and the bot is not paused. */
  async escalate(turn: Turn, reason: string, options: { handOver?: boolean } = {}): Promise<EscalationOutcome> {
    const handOver = options.handOver ?? true;
    const { job, settings } = turn;
    const log = { ...turn.log, reason };
    try {
      const phone = settings.escalationPhone?.replace(/[^\d]/g, '') || null;
      const email = settings.escalationEmail?.trim() || null;
      if (!(phone && turn.tenant.credentials) && !(email && this.options.mailer)) {
        this.options.logger.warn(log, 'escalation wanted, but the tenant has no reachable escalation contact');
        return 'unavailable';
      }
      const conversation = turn.data.conversations;
      if (handOver && !(await conversation.claimEscalation(job.userPhone, ESCALATION_INTERVAL_MS))) return 'recent';

      const history = await turn.data.replies.recentConversation(job.userPhone, job.id, LAST_MESSAGES - 1);
      const lines = [
        ...history.map((t) => `${t.direction === 'inbound' ? 'Customer' : 'Bot'}: ${t.text}`),
        `Customer: ${job.text ?? `(${job.messageType})`}`,
      ];
      const link = this.options.dashboardLink?.(job.tenantId, job.userPhone) ?? null;
      const notice = {
        business: turn.tenant.configuration.tenant.name,
        customer: `+${job.userPhone}`,
        reason,
        lines,
        handOver,
        link,
      };
      const [byWhatsApp, byEmail] = await Promise.all([
        phone
          ? this.notifyWhatsApp(turn, phone, notice, turn.log).catch((err: unknown) =>
              this.failed(log, 'WhatsApp', err),
            )
          : false,
        email ? this.notifyEmail(email, notice).catch((err: unknown) => this.failed(log, 'email', err)) : false,
      ]);
      if (!byWhatsApp && !byEmail) {
        this.options.logger.error(log, 'escalation could not reach anyone; the bot keeps answering');
        return 'unavailable';
      }
      if (!handOver) {
        this.options.logger.info({ ...log, byWhatsApp, byEmail }, 'tenant notified; the bot keeps answering');
        return 'notified';
      }
      const hours = settings.texts.handoff_hours;
      const now = this.options.now?.() ?? Date.now();
      await conversation.pause(job.userPhone, new Date(now + hours * 3_600_000), reason);
      this.options.logger.info({ ...log, byWhatsApp, byEmail, hours }, 'conversation escalated and handed over');
      return 'handed_over';
    } catch (err) {
      this.failed(log, 'escalation', err);
      return 'unavailable';
    }
  }

  private async notifyWhatsApp(turn: Turn, phone: string, notice: Notice, logContext: LogContext): Promise<boolean> {
    const credentials = turn.tenant.credentials;
    if (!credentials) return false;
    const template = turn.settings.texts.escalation_template;
    if (template) {
      const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim().slice(0, TEMPLATE_PARAM_MAX) || '-';
      await this.options.whatsapp.sendTemplate(credentials, phone, {
        name: template.name,
        language: template.language,
        // The link goes first in the last parameter, so cutting long history never cuts it.
        bodyParameters: [
          notice.business,
          notice.customer,
          notice.reason,
          [...(notice.link ? [notice.link] : []), ...notice.lines].join(' | '),
        ].map(oneLine),
      });
    } else {
      await this.options.whatsapp.sendText(credentials, phone, noticeText(notice).slice(0, 4096), {
        replyToMessageId: null,
        logContext,
      });
    }
    return true;
  }

  private async notifyEmail(to: string, notice: Notice): Promise<boolean> {
    const mailer = this.options.mailer;
    if (!mailer) return false;
    await mailer.send({
      to,
      subject: `[${notice.business}] ${notice.customer} needs a person: ${notice.reason}`,
      text: noticeText(notice),
    });
    return true;
  }

  private failed(log: object, channel: string, err: unknown): false {
    this.options.logger.warn({ ...log, channel, error: errorText(err) }, 'escalation notice failed');
    return false;
  }
}

interface Notice {
  business: string;
  customer: string;
  reason: string;
  lines: string[];
  handOver: boolean;
  link: string | null;
}

function noticeText(notice: Notice): string {
  return [
    `${notice.business}: a customer needs a person.`,
    `Customer: ${notice.customer}`,
    `Reason: ${notice.reason}`,
    '',
    'Last messages:',
    ...notice.lines,
    '',
    notice.handOver
      ? 'The bot is paused for this customer; answer them on WhatsApp, or resume the bot early from the admin API.'
      : 'The bot keeps answering this customer; follow up with them on WhatsApp.',
    ...(notice.link ? ['', `Answer in the dashboard: ${notice.link}`] : []),
  ].join('\n');
}
