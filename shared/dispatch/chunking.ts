import { chunkTransactionId, MAX_RECIPIENTS_PER_TRIGGER } from "../novu/transaction-id.ts";

export interface RecipientChunk {
  transactionId: string;
  subscriberIds: string[];
}

/** Splits the recipients into Novu triggers of at most 100, each with its own transaction id. */
export function chunkRecipients(notificationId: number, recipients: string[]): RecipientChunk[] {
  const chunks: RecipientChunk[] = [];
  for (let start = 0; start < recipients.length; start += MAX_RECIPIENTS_PER_TRIGGER) {
    chunks.push({
      transactionId: chunkTransactionId(notificationId, chunks.length),
      subscriberIds: recipients.slice(start, start + MAX_RECIPIENTS_PER_TRIGGER),
    });
  }
  return chunks;
}
