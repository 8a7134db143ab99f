// Register or sign in (username + password; register also takes a display name).

import { useState } from "react";

import { useChat } from "./chat";
import { useFormAction } from "./formAction";

export function SignIn() {
  const chat = useChat();
  const [mode, setMode] = useState<"login" | "register">("login");
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [displayName, setDisplayName] = useState("");
  // Signed in, the app shows the rooms instead of this form: it stays busy until then.
  const { submit, busy, error, clearError } = useFormAction(async () => {
    if (mode === "register") {
      await chat.register({ username, password, displayName: displayName || username });
    } else {
      await chat.login({ usernameOrEmail: username, password });
    }
  }, true);

  const title = mode === "login" ? "Sign in" : "Create account";
  return (
    <main className="sign-in">
      <h1>FlowChat</h1>
      <form onSubmit={submit} aria-labelledby="sign-in-title">
        <h2 id="sign-in-title">{title}</h2>
        <label>
          Username
          <input value={username} onChange={(e) => setUsername(e.target.value)} required
            autoComplete="username" autoFocus />
        </label>
        {mode === "register" && (
          <label>
            Display name
            <input value={displayName} onChange={(e) => setDisplayName(e.target.value)}
              autoComplete="name" />
          </label>
        )}
        <label>
          Password
          <input type="password" value={password} onChange={(e) => setPassword(e.target.value)}
            required autoComplete={mode === "login" ? "current-password" : "new-password"} />
        </label>
        {error && <p role="alert" className="error">{error}</p>}
        <button type="submit" disabled={busy}>{title}</button>
      </form>
      <button type="button" className="link"
        onClick={() => { setMode(mode === "login" ? "register" : "login"); clearError(); }}>
        {mode === "login" ? "New here? Create an account" : "Have an account? Sign in"}
      </button>
    </main>
  );
}
