// The caller's settings: who may add them to group rooms without an invitation.

import { useEffect, useState } from "react";

import { ADD_POLICIES, type AddPolicy } from "@flowchat/client";

import { describe, useChat } from "./chat";

const LOADING = "Loading your settings…";

export function Settings({ onClose }: { onClose: () => void }) {
  const chat = useChat();
  // null until the saved policy has been read back
  const [policy, setPolicy] = useState<AddPolicy | null>(null);
  const [status, setStatus] = useState(LOADING);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    chat.privacy.settings().then((saved) => {
      if (!current) return;
      // A choice made while loading wins, and its "Saving…" / "Saved." stays.
      setPolicy((chosen) => chosen ?? saved.addPolicy);
      setStatus((shown) => (shown === LOADING ? "" : shown));
    }, (e: unknown) => {
      if (!current) return;
      setError(describe(e));
      setStatus((shown) => (shown === LOADING ? "" : shown));
    });
    return () => { current = false; };
  }, [chat]);

  const choose = async (next: AddPolicy) => {
    setError(null);
    setStatus("Saving…");
    try {
      const saved = await chat.privacy.setAddPolicy(next);
      setPolicy(saved.policy);
      setStatus("Saved.");
    } catch (e) {
      setError(describe(e));
      setStatus("");
    }
  };

  return (
    <section className="search settings" aria-label="Settings"
      onKeyDown={(e) => { if (e.key === "Escape") onClose(); }}>
      <fieldset>
        <legend>Who can add me to group rooms</legend>
        <p className="status" id="add-policy-hint">
          Anyone else sends an invitation you accept or decline.
        </p>
        {ADD_POLICIES.map(({ policy: value, meaning }, index) => (
          <label key={value}>
            <input type="radio" name="add-policy" value={value} checked={policy === value}
              aria-describedby="add-policy-hint" autoFocus={index === 0}
              onChange={() => void choose(value)} /> {meaning}
          </label>
        ))}
      </fieldset>
      <p role="status" className="status">{status}</p>
      {error && <p role="alert" className="error">{error}</p>}
      <button type="button" onClick={onClose}>Close settings</button>
    </section>
  );
}
