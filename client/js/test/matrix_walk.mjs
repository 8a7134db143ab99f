// Runs client operations as the rules tests' actors (emulator mock tokens, no Auth) and
// prints what each one raised: the typed error the client maps a rule refusal to.
// Usage: node test/matrix_walk.mjs CASES_JSON   where the file holds
//   {"firestore": "host:port", "database": "host:port", "namespace": "...", "cases": [...]}
// and a case is {"id", "uid" (null: signed out), "op", "roomId", "messageId"?, "parentId"?,
// "device"? (another client of the same user), "count"? (for a burst)}.
// Prints {"id", "errorClass", "code", "result"?} per case.
import { readFileSync } from "node:fs";

import { FlowChat } from "../dist/index.js";
import { print, watchdog } from "./harness.mjs";

watchdog(170_000);
const input = JSON.parse(readFileSync(process.argv[2], "utf8"));
const endpoint = (hostPort) => { const [host, port] = hostPort.split(":"); return { host, port: Number(port) }; };
const clients = new Map();

function clientFor(uid, device = 0) {
  const key = `${uid ?? "(anonymous)"}#${device}`;
  if (!clients.has(key)) {
    clients.set(key, new FlowChat({
      firebase: { projectId: "demo-flowchat", apiKey: "fake-api-key",
                  databaseURL: `http://${input.database}/?ns=${input.namespace}` },
      emulators: { firestore: endpoint(input.firestore), database: endpoint(input.database),
                   ...(uid ? { mockUid: uid } : {}) },
    }));
  }
  return clients.get(key);
}

/** First error (or "none" on first data) of a listener. */
const firstOutcome = (listen) => new Promise((resolve, reject) => {
  let stop = () => {};
  const timer = setTimeout(() => reject(new Error("listener gave nothing")), 20_000);
  const done = (value) => { clearTimeout(timer); setTimeout(() => stop(), 0); resolve(value); };
  try {
    stop = listen(() => done({ result: "data" }), (error) => done(Promise.reject(error)));
  } catch (error) { clearTimeout(timer); reject(error); }
}).then((v) => v);

const timed = async (action) => {
  const started = Date.now();
  await action();
  return { result: Date.now() - started };
};

const OPS = {
  send: (chat, c) => timed(() => chat.messages.send(c.roomId, c.parentId ? { text: "hi there", parentId: c.parentId } : { text: "hi there" })),
  burst: (chat, c) => timed(() => Promise.all(Array.from({ length: c.count }, (_, i) =>
    chat.messages.send(c.roomId, { text: `burst ${i}` })))),
  edit: async (chat, c) => chat.messages.edit(await chat.messages.get(c.roomId, c.messageId), "edited"),
  delete: async (chat, c) => chat.messages.remove(await chat.messages.get(c.roomId, c.messageId)),
  react: async (chat, c) => chat.reactions.react(await chat.messages.get(c.roomId, c.messageId), "🎉"),
  unreact: async (chat, c) => chat.reactions.unreact(await chat.messages.get(c.roomId, c.messageId)),
  markRead: async (chat, c) => ({ result: (await chat.receipts.markRead(await chat.messages.get(c.roomId, c.messageId))) ? "moved" : "skipped" }),
  getMessage: (chat, c) => chat.messages.get(c.roomId, c.messageId),
  page: (chat, c) => chat.messages.page(c.roomId, { limit: 5 }),
  thread: (chat, c) => firstOutcome((ok, fail) => chat.messages.thread(c.roomId, c.parentId, ok, { onError: fail })),
  receipts: (chat, c) => firstOutcome((ok, fail) => chat.receipts.listen(c.roomId, ok, { onError: fail })),
  reactions: (chat, c) => firstOutcome((ok, fail) => chat.reactions.listen({ roomId: c.roomId, id: c.messageId }, ok, { onError: fail })),
  // The room list's unread count, then again after marking the room's last message read.
  unreadThenRead: async (chat, c) => {
    let rooms = [];
    const stop = chat.rooms.listen((r) => { rooms = r; });
    const entry = () => rooms.find((r) => r.roomId === c.roomId);
    const waitFor = async (check) => {
      for (let i = 0; i < 400; i += 1) { if (check(entry())) return entry(); await new Promise((r) => setTimeout(r, 25)); }
      throw new Error(`room list never showed the expected state: ${JSON.stringify(entry())}`);
    };
    const before = await waitFor((e) => e?.lastMessage?.messageId === c.messageId && e.unread > 0);
    const moved = await chat.receipts.markRead(await chat.messages.get(c.roomId, c.messageId));
    const after = await waitFor((e) => e?.unread === 0);
    stop();
    return { result: { before: before.unread, moved, after: after.unread } };
  },
  roomList: (chat) => firstOutcome((ok, fail) => chat.rooms.listen(ok, { onError: fail })),
  typing: (chat, c) => chat.typing.keystroke(c.roomId),
  watchTyping: (chat, c) => firstOutcome((ok, fail) => chat.typing.watch(c.roomId, ok, { onError: fail })),
};

for (const c of input.cases) {
  const chat = clientFor(c.uid, c.device);
  try {
    const value = await OPS[c.op](chat, c);
    print({ id: c.id, errorClass: "none", result: value?.result ?? null });
  } catch (error) {
    print({ id: c.id, errorClass: error?.name ?? String(error), code: error?.code ?? null,
            message: String(error?.message ?? error).slice(0, 300) });
  }
}
await Promise.all([...clients.values()].map((chat) => chat.close()));
print({ id: "done" });
process.exit(0);
