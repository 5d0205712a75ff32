// Saves decided replies in groups: the decisions (each with its part 0, as `sending`) of messages
// decided while one group is being written go together in the next statement (group commit), so
// under load one round trip and one commit serve many messages, and an idle worker still writes
// each one at once. Each row names its own tenant, and the statement matches every row on it
// (replyStatements.ts). A caller learns its part's id only once its group is committed, so a part
// is never sent before its decision is durable.
import type { AppDb } from './database.js';
import { GroupCommit } from './groupCommit.js';
import { preparedRows } from './preparedStatements.js';
import { SAVE_DECISIONS_WITH_FIRST_PART } from './replyStatements.js';

export interface Decision {
  tenantId: string;
  inboundId: string;
  reply: string;
  aiProcessed: boolean;
  model: string | null;
  trainingDataId: string | null;
  template: string | null;
  error: string | null;
  /** JSON text merged into the message's metadata. */
  metadata: string;
  customer: string;
  firstPart: string;
  /** JSON text: part 0's metadata. */
  firstPartMetadata: string;
}

/** Two groups in flight: one being committed while the next fills. */
const PARALLEL_WRITES = 2;

export class DecisionWriter {
  private readonly group: GroupCommit<Decision>;
  /** Part 0's id per inbound id, from the statement that wrote it until its caller takes it. */
  private readonly written = new Map<string, string>();

  constructor(private readonly db: AppDb) {
    this.group = new GroupCommit((decisions) => this.write(decisions), PARALLEL_WRITES);
  }

  /** Part 0's id, or null when the message was not found (another tenant's id, or deleted). */
  async save(decision: Decision): Promise<string | null> {
    await this.group.enqueue([decision]);
    const id = this.written.get(decision.inboundId) ?? null;
    this.written.delete(decision.inboundId);
    return id;
  }

  private async write(decisions: Decision[]): Promise<void> {
    const column = <V>(pick: (d: Decision) => V) => decisions.map(pick);
    const rows = await preparedRows<{ id: string; reply_to_log_id: string }>(this.db, SAVE_DECISIONS_WITH_FIRST_PART, [
      column((d) => d.tenantId),
      column((d) => d.inboundId),
      column((d) => d.reply),
      column((d) => d.aiProcessed),
      column((d) => d.model),
      column((d) => d.trainingDataId),
      column((d) => d.template),
      column((d) => d.error),
      column((d) => d.metadata),
      column((d) => d.customer),
      column((d) => d.firstPart),
      column((d) => d.firstPartMetadata),
    ]);
    for (const row of rows) this.written.set(row.reply_to_log_id, row.id);
  }
}
