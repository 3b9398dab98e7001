/**
 * Workflows for the Novu sync tests (issue 10): a published DYNAMIC workflow on the seed's
 * maintenance templates, and waits on XNovu's sync of it.
 */
import { ENTERPRISE_A } from "../../support/env.ts";
import { type Sql, waitFor } from "./platform.ts";

export const MAINTENANCE = {
  title: "Elevator B service",
  date: "2026-12-01",
  buildingName: "Acme Tower A",
  recipientName: "Ada",
};

const TEMPLATES: Record<string, string> = {
  EMAIL: "acme-maintenance-email",
  IN_APP: "acme-maintenance-in-app",
  SMS: "acme-maintenance-sms",
};

export const overridesFor = (channels: string[]) =>
  Object.fromEntries(channels.map((channel) => [channel, TEMPLATES[channel]]));

/** A published DYNAMIC workflow of enterprise A on the seed's maintenance templates. */
export async function createWorkflow(sql: Sql, key: string, channels: string[]): Promise<void> {
  const overrides = overridesFor(channels);
  await sql`
    insert into notify.ent_notification_workflow
      (name, workflow_key, workflow_type, default_channels, template_overrides, enterprise_id,
       publish_status)
    values (${key}, ${key}, 'DYNAMIC',
            ${channels}::text[]::shared_types.notification_channel_type[], ${sql.json(overrides)},
            ${ENTERPRISE_A}::uuid, 'PUBLISH')`;
}

/** The newest row of the sync log (0: none). */
export async function lastSyncId(sql: Sql): Promise<number> {
  const [{ id }] = await sql<{ id: string }[]>`
    select coalesce(max(id), 0)::text as id from notify_internal.novu_sync`;
  return Number(id);
}

/** Waits until Novu has been synced since the workflow's latest change. */
export async function waitForSync(sql: Sql, workflowKey: string): Promise<void> {
  await waitFor(async () => {
    const [{ awaiting }] = await sql<{ awaiting: string }[]>`
      select count(*)::text as awaiting from notify_internal.workflow_awaiting_novu_sync
       where workflow_key = ${workflowKey}`;
    return awaiting === "0" ? true : undefined;
  }, { what: `the Novu sync of ${workflowKey}`, timeoutMs: 20_000 });
}
