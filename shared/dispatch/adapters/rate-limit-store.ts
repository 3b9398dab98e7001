import type { Sql } from "../../db/client.ts";
import type { EnterpriseRateLimit, RateLimitStore } from "../rate-limit-store.ts";

/** `notify.enterprise_rate_limit`, read and written by the dispatcher's `postgres` login. */
export function createPostgresRateLimitStore(sql: Sql): RateLimitStore {
  return {
    async load(enterpriseIds) {
      const rows = await sql<
        {
          enterprise_id: string;
          notifications_per_second: string;
          burst: number;
          tokens: number | null;
          refilled_at_ms: string | null;
          refilled_at: string | null;
          throttled: boolean;
        }[]
      >`
        select enterprise_id::text, notifications_per_second::text, burst, tokens,
               (extract(epoch from refilled_at) * 1000)::text as refilled_at_ms,
               refilled_at::text, throttled_since is not null as throttled
          from notify.enterprise_rate_limit
         where enterprise_id = any (${enterpriseIds}::uuid[]) or throttled_since is not null`;
      return rows.map((row): EnterpriseRateLimit => ({
        enterpriseId: row.enterprise_id,
        limit: { perSecond: Number(row.notifications_per_second), burst: row.burst },
        bucket: row.tokens === null || row.refilled_at_ms === null
          ? null
          : { tokens: row.tokens, refilledAtMs: Number(row.refilled_at_ms) },
        bucketVersion: row.refilled_at,
        throttled: row.throttled,
      }));
    },

    async save(entry, bucket, throttled) {
      const rows = await sql`
        update notify.enterprise_rate_limit
           set tokens = least(${bucket.tokens}::double precision, burst),
               refilled_at = to_timestamp(${bucket.refilledAtMs}::double precision / 1000),
               throttled_since = case when ${throttled}::boolean
                                      then coalesce(throttled_since, now()) end
         where enterprise_id = ${entry.enterpriseId}::uuid
           and refilled_at is not distinct from ${entry.bucketVersion}::timestamptz
        returning enterprise_id`;
      return rows.length === 1;
    },
  };
}
