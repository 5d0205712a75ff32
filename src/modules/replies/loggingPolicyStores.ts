// log_conversations and log_errors. The worker needs the body and the decided reply while it
// works (a retry resends the saved decision), so bodies are erased when the message is finished
// rather than never written; error texts are erased at every step. Statuses always stay.
import type { ControlStores } from './controlPorts.js';
import type { ReplyJob, TenantReplyStore, TenantStores } from './ports.js';
import type { TenantContextCache } from './tenantContextCache.js';

export class LoggingPolicyStores implements TenantStores {
  constructor(
    private readonly stores: TenantStores,
    private readonly controls: ControlStores,
    private readonly contexts: TenantContextCache,
  ) {}

  forTenant(tenantId: string): TenantReplyStore {
    const inner = this.stores.forTenant(tenantId);
    const policy = async () => {
      // A tenant whose configuration cannot load (unreadable token...) must still be finished.
      const context = await this.contexts.get(tenantId).catch(() => null);
      const settings = context?.configuration.settings;
      return { keepBodies: settings?.logConversations ?? true, keepErrors: settings?.logErrors ?? true };
    };
    const forget = (inboundId: string, bodies: boolean, errors: boolean) =>
      this.controls.forTenant(tenantId).forget(inboundId, { bodies, errors });
    return {
      loadConfiguration: () => inner.loadConfiguration(),
      recentConversation: (userPhone: string, beforeLogId: string, limit: number) =>
        inner.recentConversation(userPhone, beforeLogId, limit),
      saveDecision: (inboundId, reply, firstPart) => inner.saveDecision(inboundId, reply, firstPart),
      outboundParts: (inboundId) => inner.outboundParts(inboundId),
      beginOutboundPart: (job: ReplyJob, partIndex, text, reply) =>
        inner.beginOutboundPart(job, partIndex, text, reply),
      finishOutboundPart: (inboundId, partIndex, result) => inner.finishOutboundPart(inboundId, partIndex, result),
      rememberUnderstoodText: (inboundId, text) => inner.rememberUnderstoodText(inboundId, text),
      async completeInbound(inboundId, status, note) {
        const { keepBodies, keepErrors } = await policy();
        // Erased before the final status: nobody sees a finished message still holding them.
        await forget(inboundId, !keepBodies, !keepErrors);
        await inner.completeInbound(inboundId, status, status === 'failed' && !keepErrors ? null : note);
      },
      async retryInbound(inboundId, delayMs, error) {
        const { keepErrors } = await policy();
        await inner.retryInbound(inboundId, delayMs, error);
        await forget(inboundId, false, !keepErrors);
      },
    };
  }
}
