// A token bucket mirroring the rules' rate-limit stamp, so the send queue waits instead of
// being refused. Times are this client's clock at acknowledgement: a commit's server time
// is earlier than its acknowledgement, so spacing acknowledgements spaces commits at least
// as much, whatever the clock offset between client and server.

import type { RateLimit } from "./limits.js";

export class Pacer {
  private tokens: number;
  private updatedAt = -Infinity;

  constructor(private readonly limit: RateLimit) {
    this.tokens = limit.burst;
  }

  private refill(now: number): void {
    const earned = (now - this.updatedAt) / this.limit.intervalMs;
    this.tokens = Math.min(this.limit.burst, this.tokens + earned);
    this.updatedAt = now;
  }

  /** Milliseconds to wait before the next send is within the limit (0: send now). */
  delayMs(now: number): number {
    this.refill(now);
    return this.tokens >= 1 ? 0 : Math.ceil((1 - this.tokens) * this.limit.intervalMs);
  }

  /** A send was acknowledged at `now`. */
  spend(now: number): void {
    this.refill(now);
    this.tokens = Math.max(0, this.tokens - 1);
  }

  /** The server refused a send as too soon (another tab or device spent the bucket). */
  exhaust(now: number): void {
    this.tokens = 0;
    this.updatedAt = now;
  }
}
