// Acts out rules cases with the official firebase JS SDK, one JSON request per stdin line,
// one JSON answer per stdout line:
//   {"uid": "alice"|null, "claims": {...}, "request": {...}} -> {"ok": true} | {"error": code}
// FLAVOR "lite" is firebase/firestore/lite (REST); "full" is firebase/firestore (gRPC in Node:
// Listen for reads, the Write stream for writes).
// Usage: node sdk_driver.mjs HOST PORT PROJECT_ID SDK_DIR FLAVOR
//   (SDK_DIR holds node_modules/firebase)
import { createRequire } from "node:module";
import path from "node:path";
import readline from "node:readline";

const [host, port, projectId, sdkDir, flavor] = process.argv.slice(2);
const require = createRequire(path.join(sdkDir, "package.json"));
const { initializeApp } = require("firebase/app");
const fs = require(flavor === "full" ? "firebase/firestore" : "firebase/firestore/lite");

const databases = new Map();

// One app per actor: the emulator reads the unsigned mock token the SDK sends.
function databaseFor(uid, claims) {
  const key = JSON.stringify([uid, claims]);
  if (!databases.has(key)) {
    const app = initializeApp({ projectId }, `actor-${databases.size}`);
    const db = fs.getFirestore(app);
    const token = uid === null ? undefined : { mockUserToken: { user_id: uid, ...claims } };
    fs.connectFirestoreEmulator(db, host, Number(port), token);
    databases.set(key, db);
  }
  return databases.get(key);
}

// Plain JSON values, with {"$serverTime": true} for the server-timestamp sentinel.
function decode(value) {
  if (Array.isArray(value)) return value.map(decode);
  if (value && typeof value === "object") {
    if (value.$serverTime) return fs.serverTimestamp();
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decode(v)]));
  }
  return value;
}

function constraint([field, op, value]) {
  return fs.where(field, op, decode(value));
}

function filtersOf(request) {
  if (request.any_of.length) {
    return [fs.or(...request.any_of.map((group) => fs.and(...group.map(constraint))))];
  }
  return request.where.map(constraint);
}

async function runQuery(db, request) {
  const source = request.group
    ? fs.collectionGroup(db, request.collection)
    : fs.collection(db, request.collection);
  const parts = [...filtersOf(request)];
  for (const [field, direction] of request.order_by) {
    parts.push(fs.orderBy(field, direction === "DESCENDING" ? "desc" : "asc"));
  }
  if (request.limit !== null) parts.push(fs.limit(request.limit));
  await fs.getDocs(fs.query(source, ...parts));
}

function applyWrite(target, db, write) {
  const ref = fs.doc(db, write.path);
  if (write.kind === "delete") return target.delete(ref);
  if (write.kind === "update") return target.update(ref, decode(write.data));
  return target.set(ref, decode(write.data));
}

async function act(db, request) {
  switch (request.kind) {
    case "get": await fs.getDoc(fs.doc(db, request.path)); return;
    case "query": await runQuery(db, request); return;
    case "delete": await fs.deleteDoc(fs.doc(db, request.path)); return;
    case "update": await fs.updateDoc(fs.doc(db, request.path), decode(request.data)); return;
    case "create":
    case "set": await fs.setDoc(fs.doc(db, request.path), decode(request.data)); return;
    case "batch": {
      const batch = fs.writeBatch(db);
      for (const write of request.writes) applyWrite(batch, db, write);
      await batch.commit();
      return;
    }
    case "transaction":
      await fs.runTransaction(db, async (tx) => {
        for (const write of request.writes) applyWrite(tx, db, write);
      }, { maxAttempts: 1 });
      return;
    default:
      throw new Error(`unknown request kind ${request.kind}`);
  }
}

const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) {
  const message = JSON.parse(line);
  let answer;
  try {
    await act(databaseFor(message.uid, message.claims), message.request);
    answer = { ok: true };
  } catch (error) {
    answer = { error: error.code ?? String(error), message: String(error.message ?? "") };
  }
  process.stdout.write(`${JSON.stringify(answer)}\n`);
}
process.exit(0);
