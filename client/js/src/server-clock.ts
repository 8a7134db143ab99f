// The Realtime Database server's clock as seen from here (.info/serverTimeOffset).

import { onValue, ref } from "firebase/database";

import type { Session } from "./session.js";

export class ServerClock {
  private offset = 0;
  private stop: (() => void) | null = null;

  constructor(private readonly session: Session) {}

  /** Starts following the offset (once; cheap, no billed read). */
  follow(): void {
    if (this.stop) return;
    this.stop = onValue(ref(this.session.rtdb, ".info/serverTimeOffset"), (snap) => {
      this.offset = Number(snap.val() ?? 0);
    });
  }

  /** Server time now, in milliseconds since the epoch. */
  now(): number {
    this.follow();
    return Date.now() + this.offset;
  }

  close(): void {
    this.stop?.();
    this.stop = null;
  }
}
