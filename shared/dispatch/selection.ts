/**
 * Which dispatch lanes a batch reads, and how many messages from each. A lane is a pgmq queue
 * holding one enterprise's due messages of one priority band (band 0, the urgent queue,
 * holds every enterprise's critical notifications).
 *
 * - Priority: bands are served in order (0 first); each lower band that has work still gets
 *   a floor of `ceil(batchSize / 20)` slots (5 of 100) per batch, so low priority never
 *   starves: it keeps at least 5% of every batch however much higher work waits.
 * - Fairness: within a band the slots are shared equally among the lanes with work (water
 *   filling: a lane that needs less than its share leaves the rest to the others); a tie's
 *   spare slot goes to a lane picked by `random`, so no lane is always first.
 * - Rate limits: a lane takes no more than its enterprise's remaining allowance (whole
 *   tokens), shared by its bands; the urgent band is not rate-limited.
 */
export interface LaneBacklog {
  queue: string;
  /** 0 urgent (critical), 1 high, 2 normal, 3 low. */
  band: number;
  enterpriseId: string | null;
  /** Visible messages, counted up to the batch size. */
  visible: number;
}

export interface LaneRead {
  queue: string;
  enterpriseId: string | null;
  band: number;
  qty: number;
}

export const URGENT_BAND = 0;

export function starvationFloor(batchSize: number): number {
  return Math.ceil(batchSize / 20);
}

/** Shares `budget` among demands, equal shares, none above its demand. */
function waterFill(demands: number[], budget: number, random: () => number): number[] {
  const given = demands.map(() => 0);
  let left = budget;
  let open = demands.map((_, index) => index).filter((index) => demands[index] > 0);
  while (left > 0 && open.length > 0) {
    const share = Math.floor(left / open.length);
    if (share === 0) {
      // Fewer slots than lanes: one each, starting at a random lane.
      const start = Math.floor(random() * open.length);
      for (let k = 0; k < left; k++) given[open[(start + k) % open.length]] += 1;
      break;
    }
    for (const index of open) {
      const take = Math.min(share, demands[index] - given[index]);
      given[index] += take;
      left -= take;
    }
    open = open.filter((index) => given[index] < demands[index]);
  }
  return given;
}

export function selectLaneReads(
  lanes: LaneBacklog[],
  batchSize: number,
  /** Whole tokens per rate-limited enterprise; an enterprise absent here is unlimited. */
  allowances: ReadonlyMap<string, number>,
  random: () => number,
): LaneRead[] {
  const remainingAllowance = new Map(allowances);
  const limitOf = (lane: LaneBacklog) =>
    lane.band === URGENT_BAND || lane.enterpriseId === null
      ? Infinity
      : remainingAllowance.get(lane.enterpriseId) ?? Infinity;
  const demandOf = (lane: LaneBacklog) => Math.min(lane.visible, limitOf(lane));
  const bands = [...new Set(lanes.map((lane) => lane.band))].sort((a, b) => a - b);
  const floor = starvationFloor(batchSize);
  const reads: LaneRead[] = [];
  let slots = batchSize;
  for (const [position, band] of bands.entries()) {
    const reservedBelow = bands.slice(position + 1).reduce((sum, lower) => {
      const demand = lanes.filter((lane) => lane.band === lower)
        .reduce((total, lane) => total + demandOf(lane), 0);
      return sum + Math.min(floor, demand);
    }, 0);
    const budget = Math.max(0, slots - reservedBelow);
    const bandLanes = lanes.filter((lane) => lane.band === band);
    const given = waterFill(bandLanes.map(demandOf), budget, random);
    for (const [index, lane] of bandLanes.entries()) {
      if (given[index] === 0) continue;
      reads.push({ queue: lane.queue, enterpriseId: lane.enterpriseId, band, qty: given[index] });
      slots -= given[index];
      if (lane.enterpriseId !== null && remainingAllowance.has(lane.enterpriseId)) {
        remainingAllowance.set(
          lane.enterpriseId,
          remainingAllowance.get(lane.enterpriseId)! - given[index],
        );
      }
    }
  }
  return reads;
}
