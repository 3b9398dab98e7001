/**
 * Novu Cloud's record of an environment's workflows, as its sync leaves it: the bridge URL and
 * the workflows of the last successful sync (novuhq/novu apps/api `bridge/usecases/sync/
 * sync.usecase.ts`, `Sync.execute`): the bridge is discovered (signed), every discovered
 * workflow is created or updated with its steps and `options.active` (default true), workflows
 * of earlier syncs the bridge no longer lists are deleted, and the environment's bridge URL
 * becomes the one synced. Triggers run these records, never what the bridge says now.
 *
 * Novu Cloud keeps them in its database (a sync creates NotificationTemplate documents,
 * `sync.usecase.ts` `createWorkflows`), so they outlive any restart of Novu; the emulator keeps
 * them in a JSON file (`RegistryFile`, `./dev` points it at `.local/novu/`) for the same reason:
 * after `./dev down && ./dev up` it runs what was synced, not nothing.
 */
import type { DiscoveredStep, DiscoveredWorkflow } from "./bridge-client.ts";

export interface SyncedWorkflow {
  workflowId: string;
  steps: DiscoveredStep[];
  active: boolean;
  /** Epoch ms of the sync that wrote it. */
  syncedAt: number;
}

/** What the registry keeps across restarts. */
export interface RegistryState {
  bridgeUrl: string | undefined;
  syncs: number;
  workflows: SyncedWorkflow[];
}

/** Where the registry keeps its state; without one it lives in memory only (unit tests). */
export interface RegistryStore {
  /** The saved state; undefined when nothing was saved yet. */
  load(): RegistryState | undefined;
  save(state: RegistryState): void;
}

/**
 * A JSON file, rewritten whole on each change through a temporary file and a rename, so a
 * crash mid-write leaves the previous state, never half a file. A file that is not the
 * registry's JSON is an error (the emulator refuses to start) rather than an empty Novu.
 */
export function registryFile(path: string): RegistryStore {
  return {
    load() {
      let text: string;
      try {
        text = Deno.readTextFileSync(path);
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) return undefined;
        throw error;
      }
      const state = JSON.parse(text) as Partial<RegistryState>;
      if (!Array.isArray(state?.workflows) || typeof state.syncs !== "number") {
        throw new Error(`${path} is not a Novu emulator workflow registry`);
      }
      return {
        bridgeUrl: state.bridgeUrl ?? undefined,
        syncs: state.syncs,
        workflows: state.workflows,
      };
    },
    save(state) {
      const dir = path.slice(0, Math.max(0, path.lastIndexOf("/"))) || ".";
      Deno.mkdirSync(dir, { recursive: true });
      const temporary = `${path}.${Deno.pid}.tmp`;
      Deno.writeTextFileSync(temporary, JSON.stringify(state, null, 2));
      Deno.renameSync(temporary, path);
    },
  };
}

export class WorkflowRegistry {
  /** The bridge of the last successful sync; undefined before the first. */
  bridgeUrl: string | undefined;
  syncs = 0;
  #workflows = new Map<string, SyncedWorkflow>();
  #store: RegistryStore | undefined;

  constructor(store?: RegistryStore) {
    this.#store = store;
    const saved = store?.load();
    if (saved) {
      this.bridgeUrl = saved.bridgeUrl;
      this.syncs = saved.syncs;
      this.#workflows = new Map(saved.workflows.map((workflow) => [workflow.workflowId, workflow]));
    }
  }

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
    this.#save();
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
    if (workflow) {
      workflow.active = active;
      this.#save();
    }
    return workflow;
  }

  /** The dashboard's delete; the next sync creates it again if the bridge still lists it. */
  remove(workflowId: string): boolean {
    const removed = this.#workflows.delete(workflowId);
    if (removed) this.#save();
    return removed;
  }

  #save(): void {
    this.#store?.save({ bridgeUrl: this.bridgeUrl, syncs: this.syncs, workflows: this.list() });
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
