// Display names by uid, learned from get_room and search results (messages carry only uids).

import { createContext, useCallback, useContext, useMemo, useState } from "react";

export interface Person {
  uid: string;
  username: string;
  displayName: string;
}

export interface People {
  nameOf: (uid: string) => string;
  remember: (people: Person[]) => void;
}

export const PeopleContext = createContext<People>({ nameOf: (uid) => uid, remember: () => {} });

export const usePeople = (): People => useContext(PeopleContext);

export function usePeopleStore(me: Person | null): People {
  const [known, setKnown] = useState<Map<string, Person>>(new Map());
  const remember = useCallback((people: Person[]) => {
    setKnown((previous) => {
      const fresh = people.filter((p) => previous.get(p.uid)?.displayName !== p.displayName);
      if (fresh.length === 0) return previous;
      const next = new Map(previous);
      for (const p of fresh) next.set(p.uid, p);
      return next;
    });
  }, []);
  return useMemo(() => ({
    nameOf: (uid: string) => (uid === me?.uid ? "You" : known.get(uid)?.displayName ?? "Someone"),
    remember,
  }), [known, me?.uid, remember]);
}
