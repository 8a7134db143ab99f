// Where FlowChat lives: production Firebase options, or the local stack's emulators as
// written by scripts/dev.sh into .local/stack.json (so --isolated ports never need copying).

import type { FirebaseOptions } from "firebase/app";

/** host + port of one emulator. */
export interface Endpoint {
  host: string;
  port: number;
}

/** The shape of .local/stack.json (written by scripts/dev/stack_file.py). */
export interface StackFile {
  projectId: string;
  region: string;
  apiKey: string;
  auth: Endpoint & { url: string };
  functions: Endpoint & { url: string };
  firestore: Endpoint;
  database: Endpoint & { namespace: string; url: string };
  demo?: {
    password: string;
    users: { username: string; uid: string; displayName: string }[];
    rooms: { name: string; roomId: string; memberIds: string[] }[];
  };
}

/** Emulators to connect to; any left out is the production service. */
export interface Emulators {
  auth?: Endpoint;
  functions?: Endpoint;
  firestore?: Endpoint;
  database?: Endpoint;
  /** Emulator only: act as this uid on Firestore and RTDB without signing in (rules tests). */
  mockUid?: string;
}

export interface FlowChatOptions {
  /** The Firebase web config; databaseURL must name the RTDB (for the emulator: ?ns=...). */
  firebase: FirebaseOptions;
  /** The functions' region (us-central1 unless deployed elsewhere). */
  region?: string;
  emulators?: Emulators;
  /** Name of the Firebase app instance (several clients in one process need distinct names). */
  appName?: string;
}

/** Options for the local stack described by a .local/stack.json object. */
export function optionsFromStack(stack: StackFile, extra: Partial<FlowChatOptions> = {}): FlowChatOptions {
  const endpoint = (e: Endpoint): Endpoint => ({ host: e.host, port: e.port });
  return {
    firebase: {
      apiKey: stack.apiKey,
      projectId: stack.projectId,
      authDomain: `${stack.projectId}.firebaseapp.com`,
      databaseURL: stack.database.url,
    },
    region: stack.region,
    emulators: {
      auth: endpoint(stack.auth),
      functions: endpoint(stack.functions),
      firestore: endpoint(stack.firestore),
      database: endpoint(stack.database),
    },
    ...extra,
  };
}
