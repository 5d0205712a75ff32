// Finishes messages in groups: the final states of messages that end while a completion is being
// written go together in the next statement (group commit), so under load one round trip and one
// commit finish many messages, and an idle worker still finishes each one at once. Each row names
// its own tenant, and the statement matches every row on it (replyStatements.ts).
import type { AppDb } from './database.js';
import { GroupCommit } from './groupCommit.js';
import { preparedRows } from './preparedStatements.js';
import { COMPLETE_INBOUND } from './replyStatements.js';

export interface Completion {
  tenantId: string;
  inboundId: string;
  status: 'answered' | 'skipped' | 'failed';
  note: string | null;
  eraseBodies: boolean;
  eraseErrors: boolean;
  sentPart: { index: number; whatsappMessageId: string } | null;
}

/** Two groups in flight: one being committed while the next fills. */
const PARALLEL_WRITES = 2;

export class CompletionWriter {
  private readonly group: GroupCommit<Completion>;

  constructor(private readonly db: AppDb) {
    this.group = new GroupCommit((completions) => this.write(completions), PARALLEL_WRITES);
  }

  complete(completion: Completion): Promise<void> {
    return this.group.enqueue([completion]);
  }

  private async write(completions: Completion[]): Promise<void> {
    const column = <V>(pick: (c: Completion) => V) => completions.map(pick);
    await preparedRows(this.db, COMPLETE_INBOUND, [
      column((c) => c.tenantId),
      column((c) => c.inboundId),
      column((c) => c.status),
      column((c) => c.note),
      column((c) => c.eraseBodies),
      column((c) => c.eraseErrors),
      column((c) => c.sentPart?.index ?? null),
      column((c) => c.sentPart?.whatsappMessageId ?? null),
    ]);
  }
}
