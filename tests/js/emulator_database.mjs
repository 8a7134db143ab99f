// A firebase/database instance on the emulator, signed in as `uid` through the SDK's
// emulator mock token (an unsigned JWT whose claims the emulator trusts). `name` keeps the
// apps apart when one script plays several clients.
import { initializeApp } from "firebase/app";
import { connectDatabaseEmulator, getDatabase } from "firebase/database";

export function emulatorDatabase({ host, port, namespace, uid, name = "[DEFAULT]" }) {
  const app = initializeApp({
    projectId: "demo-flowchat", databaseURL: `https://${namespace}.firebaseio.com`,
  }, name);
  const db = getDatabase(app);
  connectDatabaseEmulator(db, host, Number(port), { mockUserToken: { user_id: uid } });
  return db;
}
