// The rules' rate limit as the client sees it: a sliding window of `slots` messages per
// `windowMs`, kept as one stamp document with one server time per slot. A slot is free
// again a whole window after it was taken; the client takes the least recently used one.
// Times are this client's clock at acknowledgement (or the stamp's server times when read
// back after a reload): a commit's server time is earlier than its acknowledgement, so
// spacing acknowledgements spaces commits at least as much, whatever the clock offset.

import type { RateLimit } from "./limits.js";

export class SlotPacer {
  private readonly takenAt: (number | null)[];
  private blockedUntil = 0;

  constructor(private readonly limit: RateLimit, takenAt?: (number | null)[]) {
    this.takenAt = Array.from({ length: limit.slots }, (_, i) => takenAt?.[i] ?? null);
  }

  /** The slot the next message takes: a never used one, else the least recently used. */
  next(): number {
    let best = 0;
    for (let i = 0; i < this.takenAt.length; i += 1) {
      const at = this.takenAt[i] ?? null;
      if (at === null) return i;
      if (at < (this.takenAt[best] ?? Infinity)) best = i;
    }
    return best;
  }

  /** Milliseconds to wait before the next slot is free (0: send now). */
  delayMs(now: number): number {
    const at = this.takenAt[this.next()] ?? null;
    const free = at === null ? 0 : at + this.limit.windowMs - now;
    return Math.max(0, Math.ceil(free), this.blockedUntil - now);
  }

  /** A send that took `slot` was acknowledged at `now`. */
  spend(slot: number, now: number): void {
    this.takenAt[slot] = now;
  }

  /** The server refused a send as too fast (another tab or device took slots): wait at
   * least retryAfterMs, and take the slots' times as read back from the stamp if known. */
  exhaust(now: number, retryAfterMs: number, takenAt?: (number | null)[]): void {
    this.blockedUntil = now + retryAfterMs;
    if (takenAt) takenAt.forEach((at, i) => { if (i < this.takenAt.length) this.takenAt[i] = at; });
  }
}
