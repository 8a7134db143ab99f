// The app's one FlowChat client, and small hooks over its live subscriptions.

import { createContext, useContext, useEffect, useState } from "react";

import type { FlowChat, FlowChatError } from "@flowchat/client";

export const ChatContext = createContext<FlowChat | null>(null);

export function useChat(): FlowChat {
  const chat = useContext(ChatContext);
  if (!chat) throw new Error("useChat outside ChatContext");
  return chat;
}

/** A live value: `subscribe` gets a setter and returns its unsubscribe; re-run on deps. */
export function useLive<T>(
  initial: T,
  subscribe: (set: (value: T) => void) => (() => void) | undefined,
  deps: unknown[],
): T {
  const [value, setValue] = useState<T>(initial);
  useEffect(() => {
    setValue(initial);
    return subscribe(setValue);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return value;
}

/** A readable sentence for any error the client raises. */
export function describe(error: unknown): string {
  const e = error as Partial<FlowChatError> & { message?: string };
  if (e?.code === "rate-limited") return "You are sending too fast; the message will retry.";
  if (e?.code === "not-a-member") return "You are not a member of this room.";
  if (e?.code === "blocked") return "You cannot message this user (blocked).";
  return e?.message ?? String(error);
}
