// A presence dot: green while any of the user's sessions is connected.

import type { Presence } from "@flowchat/client";

import { useChat, useLive } from "./chat";

export function PresenceDot({ uid, name }: { uid: string; name: string }) {
  const chat = useChat();
  const presence = useLive<Presence | null>(null, (set) => chat.presence.watch(uid, set), [uid]);
  const online = presence?.online ?? false;
  const state = online ? "online" : "offline";
  return (
    <span className={`dot ${state}`} role="img" aria-label={`${name} is ${state}`}
      title={`${name} is ${state}`} />
  );
}
