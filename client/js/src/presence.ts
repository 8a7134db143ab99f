// Presence in the Realtime Database: one session per connection under
// status/{uid}/connections/s0..s9, created on every (re)connect with its onDisconnect
// clean-up registered first, kept fresh by a heartbeat. Nothing here needs `navigator`
// (Node has none): the device name is the app's to give.

import {
  get, onDisconnect, onValue, ref, remove, serverTimestamp, set, update,
  type DatabaseReference,
} from "firebase/database";

import { checkDevice } from "./checks.js";
import { MAX_PRESENCE_SESSIONS, PRESENCE_HEARTBEAT_MS } from "./limits.js";
import type { OnError, Unsubscribe } from "./messages.js";
import type { Session } from "./session.js";
import type { Presence as PresenceState } from "./types.js";

export interface PresenceOptions {
  /** Shown to the user's other devices, 1 to 64 characters (e.g. "Firefox on Linux"). */
  device?: string;
  heartbeatMs?: number;
  onError?: OnError;
}

export class Presence {
  private stopConnected: Unsubscribe | null = null;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private current: DatabaseReference | null = null;

  constructor(private readonly session: Session) {}

  /** Announces this client online for as long as it is connected. */
  start(options: PresenceOptions = {}): void {
    const uid = this.session.requireUid();
    if (options.device !== undefined) checkDevice(options.device);
    this.stop();
    const rtdb = this.session.rtdb;
    const onError = options.onError ?? ((error: Error) => console.warn(error));
    this.stopConnected = onValue(ref(rtdb, ".info/connected"), (snap) => {
      clearInterval(this.heartbeat);
      if (snap.val() !== true) return;
      void this.openSession(uid, options).catch(onError);
    });
  }

  /** Takes the first free session id (s0 ... s9, database.rules.json) with its
   * onDisconnect clean-up registered first; none free: this client shows offline. */
  private async openSession(uid: string, options: PresenceOptions): Promise<void> {
    const rtdb = this.session.rtdb;
    const taken = ((await get(ref(rtdb, `status/${uid}/connections`))).val() ?? {}) as object;
    for (let i = 0; i < MAX_PRESENCE_SESSIONS; i += 1) {
      if (`s${i}` in taken) continue;
      const session = ref(rtdb, `status/${uid}/connections/s${i}`);
      await onDisconnect(session).remove();
      const value: Record<string, unknown> = { startedAt: serverTimestamp(), lastActive: serverTimestamp() };
      if (options.device !== undefined) value.device = options.device;
      try {
        await set(session, value);
      } catch {
        await onDisconnect(session).cancel(); // another tab took this id first
        continue;
      }
      this.current = session;
      await onDisconnect(ref(rtdb, `status/${uid}/lastSeen`)).set(serverTimestamp());
      this.heartbeat = setInterval(() => {
        void update(session, { lastActive: serverTimestamp() }).catch(() => undefined);
      }, options.heartbeatMs ?? PRESENCE_HEARTBEAT_MS);
      return;
    }
  }

  /** Ends this client's session now (sign-out); other devices stay online. */
  async end(): Promise<void> {
    const session = this.current;
    const uid = this.session.uid;
    this.stop();
    if (!session || !uid) return;
    await remove(session);
    await onDisconnect(session).cancel();
    await set(ref(this.session.rtdb, `status/${uid}/lastSeen`), serverTimestamp());
    await onDisconnect(ref(this.session.rtdb, `status/${uid}/lastSeen`)).cancel();
  }

  private stop(): void {
    this.stopConnected?.();
    this.stopConnected = null;
    clearInterval(this.heartbeat);
  }

  /** Someone's presence, live: online while any of their sessions exists. */
  watch(uid: string, onPresence: (presence: PresenceState) => void,
        options: { onError?: OnError } = {}): Unsubscribe {
    return onValue(ref(this.session.rtdb, `status/${uid}`), (snap) => {
      const status = (snap.val() as { connections?: object; lastSeen?: number } | null) ?? {};
      onPresence({ online: Boolean(status.connections), lastSeen: status.lastSeen ?? null });
    }, (error) => { if (options.onError) options.onError(error); else console.warn(error); });
  }
}
