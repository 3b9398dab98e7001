import type { Sql } from "./client.ts";

/**
 * A drain's lease (migration generalise_drain_leases, docs/internals.md "Coalesced kicks"):
 * while it holds, producers skip their pg_net kick of the function, so the drain must read its
 * queues again after their commits and end only through `stop`.
 */
export interface DrainLease {
  /** Promises to read again (and to stop only through `stop`) for the next `leaseMs`. */
  renew(leaseMs: number): Promise<void>;
  /**
   * One attempt of the stop: ends the lease (every producer kicks from now on) and answers
   * whether no transaction that skipped its kick on it is still open. True: a read started
   * after it sees every skipped message. False: try again before the last read.
   */
  stop(): Promise<boolean>;
}

/** The lease of edge function `functionName` (`notify_internal.renew_drain` / `stop_drain`). */
export function createPostgresDrainLease(sql: Sql, functionName: string): DrainLease {
  return {
    async renew(leaseMs) {
      await sql`select notify_internal.renew_drain(${functionName}, ${leaseMs}::integer)`;
    },
    async stop() {
      const [{ stopped }] = await sql<{ stopped: boolean }[]>`
        select notify_internal.stop_drain(${functionName}) as stopped`;
      return stopped;
    },
  };
}
