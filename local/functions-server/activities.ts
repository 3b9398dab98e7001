/**
 * What a worker is busy with, for CPU accounting per request (limits.ts). An activity is a
 * request from its arrival until its response is ready and every promise it handed to
 * `EdgeRuntime.waitUntil` has settled; background work handed to `waitUntil` outside any request
 * (the dispatcher's boot drain, a timed follow-up) is an activity of its own from that call.
 * Each activity is charged the worker's whole CPU time since it began (other work running at the
 * same time included), so the oldest open activity bears the largest charge: the supervisor
 * needs only its start, which this tracker reports whenever it changes.
 */

export interface Activity {
  /** The worker's CPU time (ms) when the activity began. */
  readonly startCpuMs: number;
}

export interface ActivityTracker {
  /** Opens an activity (a request, or background work), holding it once. */
  open(): Activity;
  /**
   * One more hold on an open activity (its request handed a promise to waitUntil); false when
   * the activity has closed already (the caller then opens one of its own).
   */
  hold(activity: Activity): boolean;
  /** Drops one hold; the activity closes when none is left. */
  release(activity: Activity): void;
  /** Open activities. */
  readonly size: number;
}

/**
 * `readCpuMs` reads the worker's CPU time; `onOldestChange` receives the oldest open activity's
 * start (null when nothing is open). Activities open in CPU order, so the first one of the
 * insertion-ordered set is the oldest.
 */
export function createActivityTracker(
  readCpuMs: () => number,
  onOldestChange: (startCpuMs: number | null) => void,
): ActivityTracker {
  const holds = new Map<Activity, number>();
  const oldest = () => {
    const first = holds.keys().next();
    return first.done ? null : first.value.startCpuMs;
  };
  return {
    open() {
      const activity = { startCpuMs: readCpuMs() };
      const wasEmpty = holds.size === 0;
      holds.set(activity, 1);
      if (wasEmpty) onOldestChange(activity.startCpuMs);
      return activity;
    },
    hold(activity) {
      const count = holds.get(activity);
      // A closed activity never reopens: its charge would restart from its old start.
      if (count === undefined) return false;
      holds.set(activity, count + 1);
      return true;
    },
    release(activity) {
      const count = holds.get(activity);
      if (count === undefined) return;
      if (count > 1) {
        holds.set(activity, count - 1);
        return;
      }
      const before = oldest();
      holds.delete(activity);
      const after = oldest();
      if (after !== before) onOldestChange(after);
    },
    get size() {
      return holds.size;
    },
  };
}
