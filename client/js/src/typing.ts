// Typing indicators in the Realtime Database: typing/{roomId}/{uid} = server time, removed
// when typing stops and, if the connection drops, by onDisconnect.

import {
  onDisconnect, onValue, ref, remove, serverTimestamp, set, type DatabaseReference,
} from "firebase/database";

import { explained, reportListenerError } from "./denial.js";
import { TYPING_FRESH_MS, TYPING_IDLE_MS, TYPING_REFRESH_MS } from "./limits.js";
import type { Membership } from "./membership.js";
import type { OnError, Unsubscribe } from "./messages.js";
import type { ServerClock } from "./server-clock.js";
import type { Session } from "./session.js";

interface Typing {
  lastWrite: number;
  idle: ReturnType<typeof setTimeout> | undefined;
}

export class TypingIndicator {
  private readonly state = new Map<string, Typing>();

  constructor(private readonly session: Session, private readonly membership: Membership,
              private readonly clock: ServerClock) {}

  private entry(roomId: string): DatabaseReference {
    return ref(this.session.rtdb, `typing/${roomId}/${this.session.requireUid()}`);
  }

  /** Call on every keystroke: writes at most every few seconds, stops after a pause. */
  async keystroke(roomId: string): Promise<void> {
    const state = this.state.get(roomId) ?? { lastWrite: 0, idle: undefined };
    this.state.set(roomId, state);
    clearTimeout(state.idle);
    state.idle = setTimeout(() => void this.stop(roomId).catch(() => undefined), TYPING_IDLE_MS);
    if (Date.now() - state.lastWrite <= TYPING_REFRESH_MS) return;
    state.lastWrite = Date.now();
    await this.membership.requireUnblocked(roomId);
    const entry = this.entry(roomId);
    await explained("typing", async () => {
      await onDisconnect(entry).remove();
      await set(entry, serverTimestamp());
    }, async () => { await this.membership.requireUnblocked(roomId, true); });
  }

  /** Removes the entry (allowed even after leaving the room). */
  async stop(roomId: string): Promise<void> {
    const state = this.state.get(roomId);
    if (state) clearTimeout(state.idle);
    this.state.delete(roomId);
    const entry = this.entry(roomId);
    await remove(entry);
    await onDisconnect(entry).cancel();
  }

  /** Stops typing everywhere (sign-out). */
  async stopAll(): Promise<void> {
    await Promise.all([...this.state.keys()].map((roomId) => this.stop(roomId)));
  }

  /** Live list of the other members typing now in the room. */
  watch(roomId: string, onTypers: (uids: string[]) => void,
        options: { onError?: OnError } = {}): Unsubscribe {
    const me = this.session.requireUid();
    let entries: Record<string, number> = {};
    const publish = () => {
      const now = this.clock.now();
      onTypers(Object.entries(entries)
        .filter(([who, at]) => who !== me && now - at < TYPING_FRESH_MS).map(([who]) => who));
    };
    // Entries go stale without any event: re-evaluate while someone is listed.
    const timer = setInterval(() => { if (Object.keys(entries).length) publish(); }, 1000);
    const stop = onValue(ref(this.session.rtdb, `typing/${roomId}`), (snap) => {
      entries = (snap.val() as Record<string, number> | null) ?? {};
      publish();
    }, (error) => reportListenerError(this.membership, roomId, error, options.onError));
    return () => { clearInterval(timer); stop(); };
  }
}
