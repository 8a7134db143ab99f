// Two users chat through @flowchat/client against the local stack: sign-in, callables,
// paced sends in order, live timeline, threads, reactions, edit / delete, receipts, room
// list with preview and unread count, history pages, typing, presence, search, typed errors.
// Usage: node test/chat_flow.mjs STACK_JSON   (prints one JSON line per step)
import {
  FlowChat, MessageTooLong, NotAMember, optionsFromStack, seenBy,
} from "../dist/index.js";
import { print, refusal, stack, step, unique, until, watchdog } from "./harness.mjs";

watchdog(200_000);
const PASSWORD = "correct horse battery staple";
const alice = new FlowChat(optionsFromStack(stack));
const bob = new FlowChat(optionsFromStack(stack));
const carol = new FlowChat(optionsFromStack(stack));
const names = { alice: unique("alice"), bob: unique("bob"), carol: unique("carol") };

await step("signIn", async () => {
  const aliceUid = await alice.register({ username: names.alice, password: PASSWORD, displayName: "Alice" });
  const bobUid = await bob.register({ username: names.bob, password: PASSWORD, displayName: "Bob" });
  await carol.register({ username: names.carol, password: PASSWORD, displayName: "Carol" });
  await bob.signOut();
  const again = await bob.login({ usernameOrEmail: names.bob, password: PASSWORD });
  return { aliceUid, bobUid, loginSameUid: again === bobUid, current: bob.uid === bobUid };
});

const wrongPassword = await refusal(() =>
  bob.call("login", { usernameOrEmail: names.bob, password: "wrong password!" }));
print({ step: "wrongPassword", ok: true, ...wrongPassword });

const room = await step("createRoom", async () => {
  const { roomId, created } = await alice.api.createRoom(
    { kind: "group", name: "Client flow", memberIds: [bob.uid] });
  // bob's add policy (default "shared") makes the add an invitation he sees live and accepts.
  let invitations = [];
  const stopInvitations = bob.invitations.listen((list) => { invitations = list; });
  const invitation = await until(() => invitations.find((i) => i.roomId === roomId), "bob's invitation");
  await bob.invitations.accept(roomId);
  await until(() => !invitations.some((i) => i.roomId === roomId), "the invitation gone");
  stopInvitations();
  const got = await bob.call("get_room", { roomId });
  return { roomId, created, members: got.members.map((m) => m.uid).sort(),
           invitation: { roomName: invitation.roomName, invitedBy: invitation.invitedBy } };
});
const roomId = room.roomId;

// Both sides listen: bob's room list (preview + unread) and timeline.
let bobRooms = [];
const stopRooms = bob.rooms.listen((rooms) => { bobRooms = rooms; });
let bobTimeline = [];
const stopTimeline = bob.messages.listen(roomId, (messages) => { bobTimeline = messages; });
await step("roomAppears", async () => {
  await until(() => bobRooms.some((r) => r.roomId === roomId), "the room in bob's list");
  return {};
});

const sent = await step("sendBurst", async () => {
  const started = Date.now();
  const texts = ["one", "two", "three", "four", "five", "six", "seven"];
  const ids = await Promise.all(texts.map((text) => alice.send(roomId, text)));
  const elapsedMs = Date.now() - started;
  await until(() => texts.every((t) => bobTimeline.some((m) => m.text === t && !m.pending)),
    "all seven in bob's timeline");
  const order = [...bobTimeline].reverse().map((m) => m.text);
  return { ids, elapsedMs, order };
});

await step("idempotentRetry", async () => {
  const id = alice.messages.newId(roomId);
  await alice.messages.send(roomId, { text: "exactly once" }, { id });
  const again = await refusal(() => alice.messages.send(roomId, { text: "exactly once" }, { id }));
  const page = await alice.messages.page(roomId, { limit: 50 });
  return { again, copies: page.messages.filter((m) => m.text === "exactly once").length };
});

// The preview (rooms/{roomId}.lastMessage) comes from the message trigger, which this
// stack does not run (test_dev_stack_client.py checks it); the unread count is the client's.
await step("unread", async () => {
  const entry = await until(() => bobRooms.find((r) => r.roomId === roomId && r.unread === 8),
    "unread count");
  return { unread: entry.unread };
});

await step("thread", async () => {
  const parent = bobTimeline.find((m) => m.text === "one");
  let replies = [];
  const stop = alice.messages.thread(roomId, parent.id, (r) => { replies = r; });
  const replyId = await bob.messages.send(roomId, { text: "a reply", parentId: parent.id });
  await until(() => replies.some((r) => r.id === replyId), "the reply in the thread");
  stop();
  const deep = await refusal(() =>
    alice.messages.send(roomId, { text: "too deep", parentId: replyId }));
  return { replies: replies.map((r) => r.text), timelineHasReply: bobTimeline.some((m) => m.id === replyId), deep };
});

await step("reactions", async () => {
  const target = bobTimeline.find((m) => m.text === "two");
  let counts = new Map();
  const stop = alice.reactions.listen(target, (c) => { counts = c; });
  await bob.reactions.react(target, "🎉");
  await alice.reactions.react(target, "🎉");
  await until(() => counts.get("🎉")?.length === 2, "two reactions");
  await bob.reactions.unreact(target);
  await until(() => counts.get("🎉")?.length === 1, "one reaction left");
  const bad = await refusal(() => bob.reactions.react(target, "🍕"));
  stop();
  return { left: counts.get("🎉"), bad };
});

await step("editDelete", async () => {
  const mine = bobTimeline.find((m) => m.text === "three");
  await alice.messages.edit(mine, "three (edited)");
  await until(() => bobTimeline.some((m) => m.id === mine.id && m.text === "three (edited)"), "the edit");
  const notAuthor = await refusal(() => bob.messages.edit(mine, "hijack"));
  await alice.messages.remove(mine);
  const removed = await until(() => bobTimeline.find((m) => m.id === mine.id && m.deletedAt), "the delete");
  const again = await refusal(() => alice.messages.remove(removed));
  return { text: removed.text, notAuthor, again };
});

await step("receipts", async () => {
  const newest = bobTimeline[0];
  let readers = new Map();
  const stop = alice.receipts.listen(roomId, (r) => { readers = r; });
  const moved = await bob.receipts.markRead(newest);
  const older = await bob.receipts.markRead(bobTimeline.at(-1));
  await until(() => readers.has(bob.uid), "bob's receipt");
  const entry = await until(() => bobRooms.find((r) => r.roomId === roomId && r.unread === 0), "unread 0");
  stop();
  return { moved, older, seenBy: seenBy(readers, newest), unread: entry.unread };
});

await step("history", async () => {
  const first = await alice.messages.page(roomId, { limit: 3 });
  const second = await alice.messages.page(roomId, { before: first.next, limit: 3 });
  const ids = [...first.messages, ...second.messages].map((m) => m.id);
  return { firstCount: first.messages.length, secondCount: second.messages.length,
           distinct: new Set(ids).size, newestFirst: first.messages[0].createdAt >= second.messages[0].createdAt };
});

await step("olderThan", async () => {
  // The timeline's "load older": top-level messages before the oldest one shown.
  const newest = await alice.messages.page(roomId, { limit: 2, topLevel: true });
  const older = await alice.messages.olderThan(newest.messages[1], { limit: 3 });
  const more = await alice.messages.page(roomId, { before: older.next, limit: 3, topLevel: true });
  const all = [...newest.messages, ...older.messages, ...more.messages];
  return { counts: [newest.messages.length, older.messages.length, more.messages.length],
           distinct: new Set(all.map((m) => m.id)).size,
           replies: all.filter((m) => m.parentId).length,
           ordered: all.every((m, i) => i === 0 || all[i - 1].createdAt >= m.createdAt) };
});

await step("hideRoom", async () => {
  await bob.rooms.hide(roomId);
  const hidden = await until(() => bobRooms.find((r) => r.roomId === roomId && r.hidden), "hidden");
  await bob.rooms.unhide(roomId);
  const shown = await until(() => bobRooms.find((r) => r.roomId === roomId && !r.hidden), "shown");
  return { hidden: hidden.hidden, shown: !shown.hidden };
});

await step("blocks", async () => {
  // carol and bob share a direct room; carol blocks bob: both sides get Blocked, before
  // the rules' bare refusal; unblocking opens the room again.
  const { roomId: direct } = await carol.api.createRoom({ kind: "direct", memberIds: [bob.uid] });
  await until(() => bobRooms.some((r) => r.roomId === direct), "the direct room in bob's list");
  await carol.send(direct, "hi bob");
  await carol.privacy.block(bob.uid);
  const flagged = await until(() => bobRooms.find((r) => r.roomId === direct && r.block), "bob's flag");
  const blocked = await refusal(() => bob.send(direct, "hello?"));
  // (limit 5: not the room list's own "newest message" query, which the SDK would answer
  // from that listener's cache.)
  const blockedRead = await refusal(() => bob.messages.page(direct, { limit: 5 }));
  const blocking = await refusal(() => carol.send(direct, "still here"));
  const blockingRead = await carol.messages.page(direct, { limit: 1 });
  await carol.privacy.unblock(bob.uid);
  await until(() => bobRooms.find((r) => r.roomId === direct && !r.block), "the flag gone");
  const after = await bob.send(direct, "thanks");
  return { flag: flagged.block, blocked, blockedRead, blocking,
           blockingReads: blockingRead.messages.length, sentAfter: typeof after };
});

await step("typing", async () => {
  let typers = [];
  const stop = bob.typing.watch(roomId, (t) => { typers = t; });
  await alice.typing.keystroke(roomId);
  await until(() => typers.includes(alice.uid), "alice typing");
  await alice.typing.stop(roomId);
  await until(() => typers.length === 0, "alice stopped");
  stop();
  return {};
});

await step("presence", async () => {
  let seen = { online: false };
  const stop = bob.presence.watch(alice.uid, (p) => { seen = p; });
  alice.presence.start({ device: "chat_flow test" });
  await until(() => seen.online, "alice online");
  await alice.presence.end();
  await until(() => !seen.online && seen.lastSeen, "alice offline with lastSeen");
  stop();
  return { lastSeen: typeof seen.lastSeen };
});

await step("search", async () => {
  const users = await alice.searchUsers({ query: names.bob });
  const messages = await bob.searchMessages({ query: "exactly", roomId });
  return { users: users.users.map((u) => u.uid), messages: messages.messages.map((m) => m.text) };
});

await step("typedErrors", async () => {
  const tooLong = await refusal(() => alice.send(roomId, "x".repeat(4001)));
  const notMember = await refusal(() => carol.send(roomId, "let me in"));
  const notMemberListen = await new Promise((resolve) => {
    const stop = carol.messages.listen(roomId, () => {}, { onError: (e) => { stop(); resolve(e.name); } });
  });
  const callable = await refusal(() => carol.call("get_room", { roomId }));
  return { tooLong, notMember, notMemberListen, callable,
           classes: [MessageTooLong.name, NotAMember.name] };
});

stopRooms();
stopTimeline();
await Promise.all([alice.close(), bob.close(), carol.close()]);
print({ step: "done", ok: true });
process.exit(0);
