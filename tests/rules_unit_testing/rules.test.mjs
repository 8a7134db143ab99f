// The project's rules through @firebase/rules-unit-testing, the way Firebase's own docs
// write rules tests. The emulators are found through FIREBASE_EMULATOR_HUB alone.
// Run by tests/emulator/hub/test_rules_unit_testing.py against the in-process stack.
import { readFileSync } from 'node:fs';
import { after, before, beforeEach, test } from 'node:test';
import {
  assertFails,
  assertSucceeds,
  initializeTestEnvironment,
  withFunctionTriggersDisabled,
} from '@firebase/rules-unit-testing';
import { doc, getDoc, setDoc } from 'firebase/firestore';
import { get, ref, set } from 'firebase/database';

const ROOT = new URL('../../', import.meta.url);
let env;

before(async () => {
  env = await initializeTestEnvironment({
    projectId: process.env.RULES_TEST_PROJECT,
    firestore: { rules: readFileSync(new URL('firestore.rules', ROOT), 'utf8') },
    database: { rules: readFileSync(new URL('database.rules.json', ROOT), 'utf8') },
  });
});

after(async () => {
  await env?.cleanup();
});

beforeEach(async () => {
  await env.clearFirestore();
  await env.clearDatabase();
  // Seeding must not run the project's triggers: this is what the hub's switch is for.
  await withFunctionTriggersDisabled(() =>
    env.withSecurityRulesDisabled(async (owner) => {
      await setDoc(doc(owner.firestore(), 'rooms/r1'), { name: 'general' });
      await setDoc(doc(owner.firestore(), 'rooms/r1/members/alice'), { role: 'member' });
      await setDoc(doc(owner.firestore(), 'logs/seeded-while-disabled'), { v: 1 });
      await set(ref(owner.database(), 'roomMembers/r1/alice'), true);
    }),
  );
});

test('the hub told the tool where every emulator listens', () => {
  const { firestore, database, hub } = env.emulators;
  const [hubHost, hubPort] = process.env.FIREBASE_EMULATOR_HUB.split(':');
  for (const found of [firestore, database, hub]) {
    if (!found?.host || !found?.port) throw new Error(`missing: ${JSON.stringify(env.emulators)}`);
  }
  if (hub.host !== hubHost || String(hub.port) !== hubPort) throw new Error('wrong hub');
  if (process.env.FIRESTORE_EMULATOR_HOST || process.env.FIREBASE_DATABASE_EMULATOR_HOST) {
    throw new Error('only FIREBASE_EMULATOR_HUB may be set');
  }
});

test('Firestore: a member reads the room, a stranger and nobody are denied', async () => {
  const alice = env.authenticatedContext('alice').firestore();
  const mallory = env.authenticatedContext('mallory').firestore();
  const nobody = env.unauthenticatedContext().firestore();
  await assertSucceeds(getDoc(doc(alice, 'rooms/r1')));
  await assertFails(getDoc(doc(mallory, 'rooms/r1')));
  await assertFails(getDoc(doc(nobody, 'rooms/r1')));
  await assertFails(setDoc(doc(alice, 'rooms/r1'), { name: 'renamed' }));
});

test('Realtime Database: members read the mirror, typing needs membership', async () => {
  const alice = env.authenticatedContext('alice').database();
  const mallory = env.authenticatedContext('mallory').database();
  await assertSucceeds(get(ref(alice, 'roomMembers/r1')));
  await assertFails(get(ref(mallory, 'roomMembers/r1')));
  await assertSucceeds(set(ref(alice, 'typing/r1/alice'), Date.now()));
  await assertFails(set(ref(mallory, 'typing/r1/mallory'), Date.now()));
  await assertFails(set(ref(alice, 'typing/r1/mallory'), Date.now()));
});

test('triggers run again once the callback is done', async () => {
  await env.withSecurityRulesDisabled(async (owner) => {
    await setDoc(doc(owner.firestore(), 'logs/written-after'), { v: 2 });
  });
});
