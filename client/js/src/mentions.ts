// @mentions: the uids of the members a text names as @username. The message carries them
// (`mentions`, at most MAX_MENTIONS); the backend drops non-members and notifies the rest.

import { MAX_MENTIONS } from "./limits.js";
import type { Message } from "./types.js";

/** Usernames are 3-32 of A-Z a-z 0-9 _ . (functions/flowchat/services/accounts.py). */
const MENTION = /(^|[^A-Za-z0-9_.@])@([A-Za-z0-9_.]{3,32})/g;

/** The usernames a text names with @, in order, without repeats. */
export function mentionedNames(text: string): string[] {
  const names: string[] = [];
  for (const match of text.matchAll(MENTION)) {
    const name = match[2]!.replace(/\.+$/, ""); // a sentence's full stop is not part of it
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/** The uids of the members a text mentions (case-insensitive usernames), at most MAX_MENTIONS. */
export function mentionsIn(text: string,
                           members: readonly { uid: string; username: string }[]): string[] {
  const byName = new Map(members.map((m) => [m.username.toLowerCase(), m.uid]));
  const uids = mentionedNames(text).map((n) => byName.get(n.toLowerCase()))
    .filter((uid): uid is string => uid !== undefined);
  return [...new Set(uids)].slice(0, MAX_MENTIONS);
}

/** Whether a message mentions the user. */
export const mentions = (message: Pick<Message, "mentions">, uid: string | null): boolean =>
  uid !== null && (message.mentions ?? []).includes(uid);
