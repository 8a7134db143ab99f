// Turning typed usernames into uids through search_users (exact username matches only).

import type { FlowChat } from "@flowchat/client";

import type { Person } from "./people";

/** The users with exactly these usernames; throws naming the first unknown one. */
export async function resolveUsernames(chat: FlowChat, usernames: string[]): Promise<Person[]> {
  const found: Person[] = [];
  for (const username of usernames) {
    const { users } = await chat.searchUsers({ query: username, limit: 10 });
    const match = users.find((u) => u.username.toLowerCase() === username.toLowerCase());
    if (!match) throw new Error(`no user named ${username}`);
    found.push(match);
  }
  return found;
}

/** "alice, bob carol" -> ["alice", "bob", "carol"]. */
export const splitNames = (text: string): string[] =>
  text.split(/[\s,]+/).map((s) => s.replace(/^@/, "")).filter(Boolean);
