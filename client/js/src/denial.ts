// After a server refusal: look again (fresh reads) for the cause the checks would name.
// A refusal nobody can explain is an UnexpectedDenial: a gap between checks and rules.

import { UnexpectedDenial } from "./errors.js";
import { isPermissionDenied, type Membership } from "./membership.js";

/** Runs `write`; a permission denial is re-checked by `recheck` (which throws the typed
 * error it finds) and otherwise becomes UnexpectedDenial. Other errors pass through. */
export async function explained<T>(
  operation: string, write: () => Promise<T>, recheck: () => Promise<void>,
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!isPermissionDenied(error)) throw error;
    await recheck();
    throw new UnexpectedDenial(operation, error);
  }
}

/** A listener's refusal, typed (NotAMember or Blocked) once its cause is known. */
export function reportListenerError(membership: Membership, roomId: string, error: Error,
                                    onError?: (error: Error) => void): void {
  const report = (typed: unknown) => {
    if (onError) onError(typed as Error); else console.warn(typed);
  };
  void membership.typedReadError(roomId, error).then(report, report);
}
