// The Firebase app behind one client: Auth, Functions, Firestore and RTDB, connected to the
// emulators when configured, and who is signed in.

import { deleteApp, initializeApp, type FirebaseApp } from "firebase/app";
import {
  connectAuthEmulator, getAuth, signInWithCustomToken, signOut, type Auth,
} from "firebase/auth";
import { connectDatabaseEmulator, getDatabase, goOffline, type Database } from "firebase/database";
import { connectFirestoreEmulator, getFirestore, terminate, type Firestore } from "firebase/firestore";
import { connectFunctionsEmulator, getFunctions, type Functions } from "firebase/functions";

import type { FlowChatOptions } from "./config.js";
import { NotSignedIn } from "./errors.js";

let appCounter = 0;

export class Session {
  readonly app: FirebaseApp;
  readonly auth: Auth;
  readonly functions: Functions;
  readonly db: Firestore;
  readonly rtdb: Database;
  private readonly mockUid: string | undefined;

  constructor(options: FlowChatOptions) {
    appCounter += 1;
    this.app = initializeApp(options.firebase, options.appName ?? `flowchat-${appCounter}`);
    this.auth = getAuth(this.app);
    this.functions = getFunctions(this.app, options.region ?? "us-central1");
    this.db = getFirestore(this.app);
    this.rtdb = getDatabase(this.app);
    const emulators = options.emulators ?? {};
    this.mockUid = emulators.mockUid;
    const mock = this.mockUid
      ? { mockUserToken: { user_id: this.mockUid, sub: this.mockUid } } : undefined;
    if (emulators.auth) {
      connectAuthEmulator(this.auth, `http://${emulators.auth.host}:${emulators.auth.port}`,
        { disableWarnings: true });
    }
    if (emulators.functions) {
      connectFunctionsEmulator(this.functions, emulators.functions.host, emulators.functions.port);
    }
    if (emulators.firestore) {
      connectFirestoreEmulator(this.db, emulators.firestore.host, emulators.firestore.port, mock);
    }
    if (emulators.database) {
      connectDatabaseEmulator(this.rtdb, emulators.database.host, emulators.database.port, mock);
    }
  }

  /** The signed-in user's uid, or null. */
  get uid(): string | null {
    return this.mockUid ?? this.auth.currentUser?.uid ?? null;
  }

  /** The signed-in user's uid; NotSignedIn otherwise. */
  requireUid(): string {
    const uid = this.uid;
    if (uid === null) throw new NotSignedIn();
    return uid;
  }

  /** Exchanges a custom token from register / login; the SDK refreshes the ID token. */
  async signInWithCustomToken(token: string): Promise<string> {
    const credential = await signInWithCustomToken(this.auth, token);
    return credential.user.uid;
  }

  async signOut(): Promise<void> {
    await signOut(this.auth);
  }

  /** Closes every connection (Node processes then exit on their own). */
  async close(): Promise<void> {
    goOffline(this.rtdb);
    await terminate(this.db);
    await deleteApp(this.app);
  }
}
