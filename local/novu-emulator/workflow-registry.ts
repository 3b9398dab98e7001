/**
 * Novu Cloud's record of an environment's workflows, as its sync leaves it: the bridge URL and
 * the workflows of the last successful sync (novuhq/novu apps/api `bridge/usecases/sync/
 * sync.usecase.ts`, `Sync.execute`): the bridge is discovered (signed), every discovered
 * workflow is created or updated with its steps and `options.active` (default true), workflows
 * of earlier syncs the bridge no longer lists are deleted, and the environment's bridge URL
 * becomes the one synced. Triggers run these records, never what the bridge says now.
 */
import type { DiscoveredStep, DiscoveredWorkflow } from "./bridge-client.ts";

export interface SyncedWorkflow {
  workflowId: string;
  steps: DiscoveredStep[];
  active: boolean;
  /** Epoch ms of the sync that wrote it. */
  syncedAt: number;
}

export class WorkflowRegistry {
  /** The bridge of the last successful sync; undefined before the first. */
  bridgeUrl: string | undefined;
  syncs = 0;
  #workflows = new Map<string, SyncedWorkflow>();

  /** A successful sync: the discovered workflows replace the previous set. */
  replace(bridgeUrl: string, discovered: DiscoveredWorkflow[], now: number): SyncedWorkflow[] {
    this.bridgeUrl = bridgeUrl;
    this.syncs += 1;
    this.#workflows = new Map(discovered.map((workflow) => [workflow.workflowId, {
      workflowId: workflow.workflowId,
      steps: workflow.steps,
      active: workflow.active,
      syncedAt: now,
    }]));
    return this.list();
  }

  get(workflowId: string): SyncedWorkflow | undefined {
    return this.#workflows.get(workflowId);
  }

  list(): SyncedWorkflow[] {
    return [...this.#workflows.values()];
  }

  /** The dashboard's active toggle (Novu's PUT /v1/workflows/{id}/status). */
  setActive(workflowId: string, active: boolean): SyncedWorkflow | undefined {
    const workflow = this.#workflows.get(workflowId);
    if (workflow) workflow.active = active;
    return workflow;
  }

  /** The dashboard's delete; the next sync creates it again if the bridge still lists it. */
  remove(workflowId: string): boolean {
    return this.#workflows.delete(workflowId);
  }
}

/**
 * A synced workflow as the sync answer lists it: a few fields of Novu's
 * NotificationTemplateEntity (the trigger identifier is the workflow id).
 */
export function syncedWorkflowEntity(workflow: SyncedWorkflow): Record<string, unknown> {
  return {
    _id: workflow.workflowId,
    name: workflow.workflowId,
    active: workflow.active,
    type: "BRIDGE",
    origin: "external",
    triggers: [{ type: "event", identifier: workflow.workflowId, variables: [] }],
    steps: workflow.steps.map((step) => ({ stepId: step.stepId, name: step.stepId })),
  };
}
