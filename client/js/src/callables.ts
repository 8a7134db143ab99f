// Typed callables: every function of functions/main.py with its request, response and error
// codes (generated/api.ts is generated from the Python input schemas; see docs/api.md).

import { FunctionsError, httpsCallable, type Functions } from "firebase/functions";

import { CallableError } from "./errors.js";
import { CALLABLE_NAMES, type CallableName, type Callables } from "./generated/api.js";

export type Request<N extends CallableName> = Callables[N]["request"];
export type Response<N extends CallableName> = Callables[N]["response"];
export type ErrorCode<N extends CallableName> = Callables[N]["errors"];

/** Calls one callable; its failure is a CallableError carrying the callable's error codes. */
export type Call = <N extends CallableName>(name: N, request: Request<N>) => Promise<Response<N>>;

/** A Call over the Functions SDK: ID token attached by the SDK, errors made typed. */
export function callOver(functions: Functions): Call {
  return async (name, request) => {
    try {
      const result = await httpsCallable(functions, name)(request);
      return result.data as never;
    } catch (error) {
      throw asCallableError(name, error);
    }
  };
}

function asCallableError(name: string, error: unknown): unknown {
  if (!(error instanceof FunctionsError)) return error;
  const status = error.code.replace(/^functions\//, "");
  return new CallableError(name, status, error.message, error.details);
}

/** Whether a CallableError came from a given callable with one of its declared codes. */
export function isCallableError<N extends CallableName>(
  error: unknown, name: N,
): error is CallableError<ErrorCode<N>> {
  return error instanceof CallableError && error.callable === name;
}

export { CALLABLE_NAMES };
export type { CallableName, Callables };
