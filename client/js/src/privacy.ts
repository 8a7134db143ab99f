// Who may reach the caller: blocks (a block closes the pair's direct room both ways and
// withdraws pending invitations) and the add policy (who may put the caller into a group
// room directly; everyone else sends an invitation).

import type { Call, Response } from "./callables.js";

export type AddPolicy = "anyone" | "shared" | "nobody";

/** The add policies, in the order a settings screen lists them, with what each means. */
export const ADD_POLICIES: readonly { policy: AddPolicy; meaning: string }[] = [
  { policy: "anyone", meaning: "Anyone can add me to a group" },
  { policy: "shared", meaning: "Only people I share a room with (the default)" },
  { policy: "nobody", meaning: "Nobody: every add is an invitation" },
];

export class Privacy {
  constructor(private readonly call: Call) {}

  /** Blocks a user (idempotent): neither can write in your direct room, they cannot read it. */
  block(userId: string): Promise<Response<"block_user">> {
    return this.call("block_user", { userId });
  }

  /** Lifts a block (idempotent); the direct room opens again for both. */
  unblock(userId: string): Promise<Response<"unblock_user">> {
    return this.call("unblock_user", { userId });
  }

  /** Who may add the caller to group rooms without an invitation. */
  setAddPolicy(policy: AddPolicy): Promise<Response<"set_add_policy">> {
    return this.call("set_add_policy", { policy });
  }

  /** What the caller set: the add policy, the users they block, the users they muted for
   *  push (so a settings screen shows the saved state after a reload or on another device). */
  settings(): Promise<Response<"get_my_settings">> {
    return this.call("get_my_settings", {});
  }
}
