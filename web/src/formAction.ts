// One form's submit as every form of the app handles it: busy while the action runs,
// the action's error shown to the user.

import { useState, type FormEvent } from "react";

import { describe } from "./chat";

export interface FormAction {
  submit: (event: FormEvent) => Promise<void>;
  busy: boolean;
  error: string | null;
  /** Forgets the error shown (the form changed under it). */
  clearError: () => void;
}

/** `keepBusy`: the form goes away when the action succeeds (sign-in), so it stays busy. */
export function useFormAction(action: () => Promise<void>, keepBusy = false): FormAction {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await action();
      if (!keepBusy) setBusy(false);
    } catch (e) {
      setError(describe(e));
      setBusy(false);
    }
  };
  return { submit, busy, error, clearError: () => setError(null) };
}
