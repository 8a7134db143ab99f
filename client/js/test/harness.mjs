// Shared by the Node drivers: the stack file from argv, JSON-line steps, bounded waits.
import { readFileSync } from "node:fs";

export const stack = JSON.parse(readFileSync(process.argv[2], "utf8"));
export const print = (value) => console.log(JSON.stringify(value));
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs one step; prints {step, ok, ...result} or {step, ok: false, error, errorClass}. */
export async function step(name, action) {
  try {
    const value = await action();
    print({ step: name, ok: true, ...(value ?? {}) });
    return value;
  } catch (error) {
    print({ step: name, ok: false, error: String(error?.stack ?? error), errorClass: error?.name,
            code: error?.code });
    return undefined;
  }
}

/** Resolves when check() returns a truthy value (polled), or rejects after timeoutMs. */
export async function until(check, what, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** The class name and code of what `action` throws (or "none"). */
export async function refusal(action) {
  try {
    await action();
    return { errorClass: "none" };
  } catch (error) {
    return { errorClass: error?.name ?? String(error), code: error?.code ?? null };
  }
}

export const unique = (name) => `${name}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;

/** Exits with 2 if the driver hangs. */
export function watchdog(ms) {
  setTimeout(() => { print({ step: "timeout", ok: false }); process.exit(2); }, ms).unref();
}
