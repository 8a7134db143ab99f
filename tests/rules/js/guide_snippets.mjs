// Runs every ```js block of docs/client-guide.md verbatim (strict mode) with the real firebase
// JS SDK, as one member of a room, against the Firestore and Realtime Database emulators.
// The setup block is checked, not run: each name it imports must exist in the SDK (its
// sign-in goes through the login callable, which this harness replaces by a mock token).
// The other blocks run in order; free names they use (roomId, messageId, render, ...) are
// provided below, and what a block declares is handed back to the next steps.
// Prints one JSON line per step: {"step", "ok", ...} or {"step", "ok": false, "error"}.
// Usage: node guide_snippets.mjs FS_HOST FS_PORT DB_HOST DB_PORT NAMESPACE UID OTHER_UID ROOM_ID
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

const requireFromJs = createRequire(new URL("../../js/package.json", import.meta.url));
const load = (name) => import(pathToFileURL(requireFromJs.resolve(name)).href);
const GUIDE = new URL("../../../docs/client-guide.md", import.meta.url);
// The blocks, in the guide's order, by what each is for; a new block needs a step here.
const BLOCK_NAMES = ["setup", "sidebar", "send", "read", "editDelete", "react", "receipt",
                     "typing", "presence"];

const [fsHost, fsPort, dbHost, dbPort, namespace, uid, otherUid, roomId] = process.argv.slice(2);
const print = (value) => console.log(JSON.stringify(value));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
setTimeout(() => { print({ step: "timeout", ok: false }); process.exit(2); }, 60_000).unref();

function guideBlocks() {
  const text = readFileSync(GUIDE, "utf8");
  const blocks = [...text.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);
  if (blocks.length !== BLOCK_NAMES.length) {
    throw new Error(`the guide has ${blocks.length} js blocks, the harness knows ${BLOCK_NAMES.length}`);
  }
  return Object.fromEntries(BLOCK_NAMES.map((name, i) => [name, blocks[i]]));
}

// Every `import { a, b as c } from "module"` of the setup block: {module: [[exported, local]]}.
function importsOf(setup) {
  const found = {};
  for (const [, names, module] of setup.matchAll(/import\s*\{([^}]*)\}\s*from\s*"([^"]+)"/g)) {
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
    for (const part of list.split(",")) names.add(part.split("=")[0].trim());
  }
  for (const [, name] of code.matchAll(/^let\s+\w+\s*=[^,\n]*,\s*(\w+)/gm)) names.add(name);
  return [...names].filter((n) => /^\w+$/.test(n));
}

const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;

// Runs a block verbatim in strict mode; returns live getters for what it declares.
async function runBlock(code, scope) {
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
  for (const [module, names] of Object.entries(importsOf(blocks.setup))) {
    const loaded = await load(module);
    for (const [exported, local] of names) {
      if (!(exported in loaded)) missing.push(`${module}.${exported}`);
      sdk[local] = loaded[exported];
    }
  }
  if (missing.length) throw new Error(`not exported: ${missing.join(", ")}`);
  return { count: Object.keys(sdk).length };
});

// The setup block's app, with the emulators and a mock ID token instead of the login call.
const app = sdk.initializeApp({ projectId: "demo-flowchat",
                                databaseURL: `https://${namespace}.firebaseio.com` });
const db = sdk.getFirestore(app);
const rtdb = sdk.getDatabase(app);
const token = { mockUserToken: { user_id: uid, sub: uid } };
sdk.connectFirestoreEmulator(db, fsHost, Number(fsPort), token);
sdk.connectDatabaseEmulator(rtdb, dbHost, Number(dbPort), token);
const { getDoc, getDocs, doc, terminate } = await load("firebase/firestore");
const { goOffline, ref, set, serverTimestamp } = await load("firebase/database");

// Callbacks the guide leaves to the app; each keeps what it was last given.
const seen = {};
const keep = (key) => (value, extra) => { seen[key] = extra === undefined ? value : [value, extra]; };
const until = async (check, what) => {
  for (let i = 0; i < 200; i += 1) { if (check()) return; await sleep(50); }
  throw new Error(`timed out waiting for ${what}`);
};
const base = { ...sdk, db, rtdb, uid, roomId, renderSidebar: keep("sidebar"), render: keep("timeline"),
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

// Another member types, with a second app, so that the watcher has someone to show.
const other = sdk.initializeApp({ projectId: "demo-flowchat",
                                  databaseURL: `https://${namespace}.firebaseio.com` }, "other");
const otherDb = sdk.getDatabase(other);
sdk.connectDatabaseEmulator(otherDb, dbHost, Number(dbPort),
                            { mockUserToken: { user_id: otherUid, sub: otherUid } });

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
  await runBlock(blocks.presence, { ...base, otherUid });
  await until(() => seen.presence?.[1]?.online === true, "the other member online");
  return { other: seen.presence[0], online: seen.presence[1].online };
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
