import type { Sql } from "../../db/client.ts";
import { DISPATCH_SETTING_NAMES, type DispatchSettingName } from "../settings.ts";

/** The dispatcher's settings as stored (Vault or notify_internal.local_setting). */
export async function readDispatchSettings(
  sql: Sql,
): Promise<Partial<Record<DispatchSettingName, string | null>>> {
  const rows = await sql<{ name: DispatchSettingName; value: string | null }[]>`
    select name, notify_internal.setting(name) as value
      from unnest(${[...DISPATCH_SETTING_NAMES]}::text[]) as name`;
  return Object.fromEntries(rows.map((row) => [row.name, row.value]));
}
