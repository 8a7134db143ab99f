// Where the app finds FlowChat: the local stack's stack.json (written by scripts/dev.sh and
// served next to the app, so --isolated ports work), else Firebase Hosting's own
// /__/firebase/init.json in production.

import { optionsFromStack, type FlowChatOptions, type StackFile } from "@flowchat/client";

async function fetchJson<T>(url: string): Promise<T | null> {
  try {
    const response = await fetch(url, { cache: "no-store" });
    if (!response.ok) return null;
    return (await response.json()) as T;
  } catch {
    return null; // not served here: try the next source
  }
}

/** The client options for this deployment; throws when neither source is served. */
export async function loadOptions(): Promise<FlowChatOptions> {
  const stack = await fetchJson<StackFile>("./stack.json");
  if (stack) return optionsFromStack(stack, { appName: "flowchat-web" });
  const init = await fetchJson<FlowChatOptions["firebase"]>("/__/firebase/init.json");
  if (init) return { firebase: init, appName: "flowchat-web" };
  throw new Error("no stack.json or /__/firebase/init.json is served next to the app");
}
