// The send queue: one FIFO per room, paced to the rate limit, retried after network errors
// with the same client-chosen message id (so a retry can never post twice), in order.

import { FlowChatError, RateLimited } from "./errors.js";
import { MESSAGE_RATE, type RateLimit } from "./limits.js";
import { SlotPacer } from "./pacer.js";

/** One attempt at writing a message taking rate-limit `slot`; resolves once acknowledged. */
export type Attempt = (slot: number) => Promise<void>;
/** When each slot of the room's stamp was last taken (ms), read back from the server. */
export type SlotLoader = () => Promise<(number | null)[]>;

export interface QueueOptions {
  rate?: RateLimit;
  /** Attempts after a network error before giving up (the SDK itself also retries). */
  maxAttempts?: number;
  /** First back-off after a network error; doubled each time. */
  backoffMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** Error codes of the Firestore SDK that mean "the write may or may not have landed". */
const TRANSIENT = new Set(["unavailable", "deadline-exceeded", "aborted", "internal", "cancelled"]);

export const isTransient = (error: unknown): boolean =>
  !(error instanceof FlowChatError) && TRANSIENT.has(String((error as { code?: unknown })?.code));

interface Job {
  attempt: Attempt;
  loadSlots: SlotLoader | undefined;
  /** Whether the message already exists (a lost acknowledgement of an earlier attempt). */
  landed: () => Promise<boolean>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class SendQueue {
  private readonly pacers = new Map<string, SlotPacer>();
  private readonly queues = new Map<string, Job[]>();
  private readonly rate: RateLimit;
  private readonly maxAttempts: number;
  private readonly backoffMs: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: QueueOptions = {}) {
    this.rate = options.rate ?? MESSAGE_RATE;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.backoffMs = options.backoffMs ?? 500;
    this.now = options.now ?? (() => Date.now());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Queues a write for the room; resolves once it is on the server, after earlier ones.
   * `loadSlots` tells the stamp's state the first time a room is used (after a reload). */
  enqueue(roomId: string, attempt: Attempt, landed: () => Promise<boolean>,
          loadSlots?: SlotLoader): Promise<void> {
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(roomId);
      const job = { attempt, loadSlots, landed, resolve, reject };
      if (queue) {
        queue.push(job);
        return;
      }
      this.queues.set(roomId, [job]);
      void this.drain(roomId);
    });
  }

  /** Messages waiting (or being sent) in a room. */
  pending(roomId: string): number {
    return this.queues.get(roomId)?.length ?? 0;
  }

  private async pacer(roomId: string, loadSlots: SlotLoader | undefined): Promise<SlotPacer> {
    let pacer = this.pacers.get(roomId);
    if (!pacer) {
      const takenAt = loadSlots ? await loadSlots().catch(() => undefined) : undefined;
      pacer = new SlotPacer(this.rate, takenAt);
      this.pacers.set(roomId, pacer);
    }
    return pacer;
  }

  private async drain(roomId: string): Promise<void> {
    const queue = this.queues.get(roomId) ?? [];
    while (queue.length > 0) {
      const job = queue[0]!;
      try {
        await this.deliver(roomId, job);
        job.resolve();
      } catch (error) {
        job.reject(error);
      }
      queue.shift();
    }
    this.queues.delete(roomId);
  }

  private async deliver(roomId: string, job: Job): Promise<void> {
    const pacer = await this.pacer(roomId, job.loadSlots);
    for (let attempt = 1; ; attempt += 1) {
      await this.sleep(pacer.delayMs(this.now()));
      const slot = pacer.next();
      try {
        await job.attempt(slot);
        pacer.spend(slot, this.now());
        return;
      } catch (error) {
        if (error instanceof RateLimited) {
          // Another tab or device took slots: learn which from the stamp, wait as told.
          const takenAt = job.loadSlots ? await job.loadSlots().catch(() => undefined) : undefined;
          pacer.exhaust(this.now(), error.retryAfterMs, takenAt);
          if (attempt < this.maxAttempts) continue;
        }
        if (!isTransient(error) || attempt >= this.maxAttempts) throw error;
        await this.sleep(this.backoffMs * 2 ** (attempt - 1));
        if (await job.landed()) {
          pacer.spend(slot, this.now());
          return;
        }
      }
    }
  }
}
