// Runs every ```js block of docs/client-guide.md verbatim (strict mode) with the real firebase
// JS SDK against the local stack, as the owner of a room: the setup block included (it signs
// in through the login callable at the Auth and Functions emulators, with the addresses of
// .local/stack.json). Import lines are checked (each name must exist in the SDK) and their
// names handed to the blocks, since a function body cannot hold them. The other blocks run
// in order; free names they use (roomId, messageId, render, ...) are provided below, and what
// a block declares is handed back to the next steps. The push block runs with getToken
// stubbed: an FCM token needs a browser's push service.
// Prints one JSON line per step: {"step", "ok", ...} or {"step", "ok": false, "error"}.
// Usage: node guide_snippets.mjs STACK_JSON USERNAME PASSWORD ROOM_ID OTHER_UID OTHER_TOKEN
//        TARGET_UID    (OTHER: another member, TARGET: a member to moderate)
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const requireFromJs = createRequire(new URL("../../js/package.json", import.meta.url));
const load = (name) => import(pathToFileURL(requireFromJs.resolve(name)).href);
const GUIDE = new URL("../../../docs/client-guide.md", import.meta.url);
// The blocks, in the guide's order, by what each is for; a new block needs a step here.
const BLOCK_NAMES = ["setup", "sidebar", "send", "read", "editDelete", "moderatorDelete",
                     "moderation", "react", "receipt", "typing", "presence", "push"];

const [stackFile, usernameOrEmail, password, roomId, otherUid, otherToken, targetUid] =
  process.argv.slice(2);
const stack = JSON.parse(readFileSync(stackFile, "utf8"));
const print = (value) => console.log(JSON.stringify(value));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
setTimeout(() => { print({ step: "timeout", ok: false }); process.exit(2); }, 220_000).unref();

function guideBlocks() {
  const text = readFileSync(GUIDE, "utf8");
  const blocks = [...text.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
  if (blocks.length !== BLOCK_NAMES.length) {
    throw new Error(`the guide has ${blocks.length} js blocks, the harness knows ${BLOCK_NAMES.length}`);
  }
  return Object.fromEntries(BLOCK_NAMES.map((name, i) => [name, blocks[i]]));
}

const IMPORT = /import\s*\{([^}]*)\}\s*from\s*"([^"]+)";?/g;
const withoutImports = (code) => code.replace(IMPORT, "");

// Every `import { a, b as c } from "module"` of a block: {module: [[exported, local]]}.
function importsOf(code) {
  const found = {};
  for (const [, names, module] of code.matchAll(IMPORT)) {
    found[module] = names.split(",").map((n) => n.trim()).filter(Boolean)
      .map((n) => { const [exported, , local] = n.split(/\s+/); return [exported, local ?? exported]; });
  }
  return found;
}

// Top-level names a block declares (unindented function / const / let declarations).
function declaredNames(code) {
  const names = new Set();
  for (const [, name] of code.matchAll(/^(?:async\s+)?function\s+(\w+)/gm)) names.add(name);
  for (const [, list] of code.matchAll(/^(?:const|let|var)\s+([^=;\n]+?)(?:=|;|$)/gm)) {
    if (list.trim().startsWith("{")) { // destructuring: every name not followed by ':'
      for (const [, name] of list.matchAll(/(\w+)\s*(?![\s\w]*:)/g)) names.add(name);
      continue;
    }
    for (const part of list.split(",")) names.add(part.split("=")[0].trim());
  }
  for (const [, name] of code.matchAll(/^let\s+\w+\s*=[^,\n]*,\s*(\w+)/gm)) names.add(name);
  return [...names].filter((n) => /^\w+$/.test(n));
}

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;

// Runs a block verbatim in strict mode; returns live getters for what it declares.
async function runBlock(block, scope) {
  const code = withoutImports(block);
  const names = declaredNames(code);
  const getters = names.map((n) => `get ${n}() { return ${n}; }`).join(", ");
  const body = `"use strict";\n${code}\nreturn { ${getters} };`;
  return new AsyncFunction(...Object.keys(scope), body)(...Object.values(scope));
}

async function step(name, action) {
  try {
    const value = await action();
    print({ step: name, ok: true, ...(value ?? {}) });
    return value;
  } catch (error) {
    print({ step: name, ok: false, error: String(error.code ?? error.message ?? error) });
    return undefined;
  }
}

const blocks = guideBlocks();
const sdk = {};
await step("imports", async () => {
  const missing = [];
  for (const block of Object.values(blocks)) {
    for (const [module, names] of Object.entries(importsOf(block))) {
      const loaded = await load(module);
      for (const [exported, local] of names) {
        if (!(exported in loaded)) missing.push(`${module}.${exported}`);
        sdk[local] = loaded[exported];
      }
    }
  }
  if (missing.length) throw new Error(`not exported: ${missing.join(", ")}`);
  return { count: Object.keys(sdk).length };
});

// The setup block, as written: its app, emulator connections and sign-in are the ones used.
let declared;
await step("setup", async () => {
  declared = await runBlock(blocks.setup, { ...sdk, stack, usernameOrEmail, password });
  return { uid: declared.uid, signedIn: declared.auth.currentUser?.uid === declared.uid };
});
if (!declared) process.exit(1);
const { app, auth, db, rtdb, functions, uid } = declared;
const { getDoc, getDocs, doc, terminate } = await load("firebase/firestore");
const { goOffline, ref, set, serverTimestamp } = await load("firebase/database");

// Callbacks the guide leaves to the app; each keeps what it was last given.
const seen = {};
const keep = (key) => (value, extra) => { seen[key] = extra === undefined ? value : [value, extra]; };
const until = async (check, what) => {
  for (let i = 0; i < 200; i += 1) { if (check()) return; await sleep(50); }
  throw new Error(`timed out waiting for ${what}`);
};
const base = { ...sdk, app, auth, db, rtdb, functions, uid, roomId,
               renderSidebar: keep("sidebar"), render: keep("timeline"), showReports: keep("reports"),
               showPresence: keep("presence"), navigator: { userAgent: "guide-harness" } };

await step("sidebar", async () => {
  await runBlock(blocks.sidebar, base);
  await until(() => seen.sidebar?.some((d) => d.id === roomId), "the room in the sidebar");
  return { rooms: seen.sidebar.map((d) => d.id) };
});

const send = await step("send", async () => {
  const { sendMessage } = await runBlock(blocks.send, base);
  const id = await sendMessage(roomId, "hello from the guide");
  for (const text of ["ok", "thanks", "4", "5"]) await sendMessage(roomId, text); // a burst
  let tooSoon = null;
  try { await sendMessage(roomId, "sixth"); } catch (error) { tooSoon = error.code; }
  await sleep(5100); // the first slots are free again
  const replyId = await sendMessage(roomId, "in a thread", { parentId: id });
  return { id, replyId, tooSoon };
});

await step("read", async () => {
  const { thread } = await runBlock(blocks.read, { ...base, parentId: send.id });
  await until(() => seen.timeline?.some((d) => d.id === send.id), "the message in the timeline");
  const replies = (await getDocs(thread)).docs.map((d) => d.id);
  return { timelineHasReply: seen.timeline.some((d) => d.id === send.replyId), replies };
});

// Another member (signed in with their own ID token), so that a moderator has someone else's
// message to delete and the typing watcher has someone to show.
const other = sdk.initializeApp({ projectId: stack.projectId, apiKey: stack.apiKey,
                                  databaseURL: stack.database.url }, "other");
const otherFs = sdk.getFirestore(other);
const otherDb = sdk.getDatabase(other);
sdk.connectFirestoreEmulator(otherFs, stack.firestore.host, stack.firestore.port,
                             { mockUserToken: otherToken });
sdk.connectDatabaseEmulator(otherDb, stack.database.host, stack.database.port,
                            { mockUserToken: otherToken });
const { sendMessage: otherSends } = await runBlock(blocks.send, { ...base, db: otherFs, uid: otherUid });
const othersMessage = await otherSends(roomId, "from the other member");

await step("moderatorDelete", async () => {
  const messageRef = doc(db, "rooms", roomId, "messages", othersMessage);
  await runBlock(blocks.moderatorDelete, { ...base, messageRef });
  const data = (await getDoc(messageRef)).data();
  return { deletedBy: data.deletedBy, text: data.text };
});

await step("moderation", async () => {
  const filed = await sdk.httpsCallable(functions, "report_message")(
    { roomId, messageId: othersMessage, reason: "spam" });
  const { bans } = await runBlock(blocks.moderation, { ...base, userId: targetUid,
    messageId: othersMessage, reportId: filed.data.reportId });
  await until(() => Array.isArray(seen.reports), "the open reports");
  return { bans: bans.map((b) => b.userId), reportId: filed.data.reportId };
});

await step("react", async () => {
  await runBlock(blocks.react, { ...base, messageId: send.replyId });
  return { left: (await getDoc(doc(db, "rooms", roomId, "messages", send.replyId, "reactions", uid))).exists() };
});

await step("receipt", async () => {
  const receipts = await runBlock(blocks.receipt, base);
  const snap = await getDoc(doc(db, "rooms", roomId, "messages", send.replyId));
  await receipts.markRead(roomId, snap);
  const older = await getDoc(doc(db, "rooms", roomId, "messages", send.id));
  await receipts.markRead(roomId, older); // older than the watermark: skipped, not refused
  await until(() => receipts.readers.get(uid)?.isEqual(snap.data().createdAt), "own receipt");
  return { readBy: receipts.readBy(snap.data()), readByOlder: receipts.readBy(older.data()) };
});

await step("editDelete", async () => {
  await runBlock(blocks.editDelete, { ...base, messageId: send.id, newText: "edited" });
  const data = (await getDoc(doc(db, "rooms", roomId, "messages", send.id))).data();
  return { text: data.text, edited: Boolean(data.editedAt), deleted: Boolean(data.deletedAt) };
});

await step("typing", async () => {
  const typing = await runBlock(blocks.typing, base);
  await typing.onKeystroke();
  await set(ref(otherDb, `typing/${roomId}/${otherUid}`), serverTimestamp());
  await until(() => typing.typers.includes(otherUid), "the other member typing");
  const typers = typing.typers;
  await typing.stopTyping();
  return { typers };
});

await step("presence", async () => {
  await set(ref(otherDb, `status/${otherUid}/connections/s0`),
            { startedAt: serverTimestamp(), lastActive: serverTimestamp() });
  await runBlock(blocks.presence, { ...base, otherUid });
  await until(() => seen.presence?.[1]?.online === true, "the other member online");
  return { other: seen.presence[0], online: seen.presence[1].online };
});

await step("push", async () => {
  const stubs = { getMessaging: () => ({ app }), getToken: async () => `fake-fcm-token-${uid}`,
                  vapidKey: "test-vapid-key", userId: otherUid };
  const { token } = await runBlock(blocks.push, { ...base, ...stubs });
  return { token };
});

// Typing again, then the connection drops: the guide's onDisconnect clean-ups must run.
await step("dropped", async () => {
  const typing = await runBlock(blocks.typing, base);
  await typing.onKeystroke();
  goOffline(rtdb);
  return {};
});
await terminate(db);
process.exit(0);
