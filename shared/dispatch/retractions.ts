/**
 * Notifications retracted while this instance may be sending them, shared by its two lanes:
 * the cancellation lane notes each notification it is asked to cancel the moment it reads the
 * message; the dispatch lane then does not trigger an event of it that has not gone out yet,
 * and cancels one that went out meanwhile right after its call returns, instead of after the
 * whole batch was sent and settled (issue 7, finding 4). Another instance's sends are covered
 * by the settle step (`mark_sent` reports RETRACTED, and the events are cancelled there).
 */
export interface RetractionBoard {
  note(notificationId: number): void;
  has(notificationId: number): boolean;
}

/** Longer than any batch runs (a drain stops at 50 s): older entries are forgotten. */
const REMEMBER_MS = 5 * 60_000;

export function createRetractionBoard(now: () => number): RetractionBoard {
  const notedAt = new Map<number, number>();
  return {
    note(notificationId) {
      const cutoff = now() - REMEMBER_MS;
      // Insertion order is age order: forget from the oldest until a recent one.
      for (const [id, at] of notedAt) {
        if (at >= cutoff) break;
        notedAt.delete(id);
      }
      notedAt.delete(notificationId);
      notedAt.set(notificationId, now());
    },
    has: (notificationId) => notedAt.has(notificationId),
  };
}
