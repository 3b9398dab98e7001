/**
 * Runs async tasks with a fixed number in flight, so a burst of triggers becomes a bounded
 * number of concurrent bridge requests instead of one socket per trigger.
 */
export class WorkQueue {
  readonly #concurrency: number;
  readonly #waiting: Array<() => Promise<void>> = [];
  #running = 0;
  #paused = false;
  #idleWaiters: Array<() => void> = [];

  constructor(concurrency: number) {
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new RangeError(`concurrency must be a positive integer, got ${concurrency}`);
    }
    this.#concurrency = concurrency;
  }

  /** Tasks waiting plus tasks running. */
  get size(): number {
    return this.#waiting.length + this.#running;
  }

  /** Queues `task`; a task that throws is logged and does not stop the others. */
  push(task: () => Promise<void>): void {
    this.#waiting.push(task);
    this.#startNext();
  }

  /** Whether new tasks wait instead of starting (tasks already running finish). */
  get paused(): boolean {
    return this.#paused;
  }

  /** Holds tasks not yet started until `resume`. */
  pause(): void {
    this.#paused = true;
  }

  resume(): void {
    this.#paused = false;
    this.#startNext();
  }

  /** Drops tasks that have not started yet (tasks already running finish). */
  clear(): void {
    this.#waiting.length = 0;
    this.#notifyIfIdle();
  }

  /** Resolves once no task is waiting or running. */
  idle(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #startNext(): void {
    while (!this.#paused && this.#running < this.#concurrency && this.#waiting.length > 0) {
      const task = this.#waiting.shift()!;
      this.#running += 1;
      task()
        .catch((error) => console.error("novu-emulator: background task failed", error))
        .finally(() => {
          this.#running -= 1;
          this.#startNext();
          this.#notifyIfIdle();
        });
    }
  }

  #notifyIfIdle(): void {
    if (this.size !== 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
