/**
 * Every request handler goes through `guard`: a cancelled request answers RequestCancelled, a thrown
 * error is logged and answered as an InternalError, and the server keeps running either way.
 */
import {
  ErrorCodes,
  LSPErrorCodes,
  ResponseError,
  CancellationToken,
} from 'vscode-languageserver/node';
import type { Logger } from './logger';

export class Cancelled extends Error {
  constructor() {
    super('request cancelled');
  }
}

/** Throw inside long loops; `guard` turns it into the RequestCancelled answer. */
export function throwIfCancelled(token: CancellationToken | undefined): void {
  if (token?.isCancellationRequested) throw new Cancelled();
}

export function cancelledError(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'Request cancelled');
}

export type Handler<P, R> = (params: P, token: CancellationToken) => R | Promise<R>;

export function guard<P, R>(log: Logger, name: string, handler: Handler<P, R>) {
  return async (params: P, maybeToken: CancellationToken | null | undefined): Promise<R | ResponseError<void>> => {
    // A client that sends extra positional parameters hands us something that is not a token.
    const token = CancellationToken.is(maybeToken) ? maybeToken : CancellationToken.None;
    if (token.isCancellationRequested) return cancelledError();
    try {
      const result = await handler(params, token);
      if (token.isCancellationRequested) return cancelledError();
      return result;
    } catch (e) {
      if (e instanceof Cancelled || token.isCancellationRequested) return cancelledError();
      if (e instanceof ResponseError) return e as ResponseError<void>;
      log.error(`${name} failed`, e);
      return new ResponseError(ErrorCodes.InternalError, `${name} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
}

/** For notifications: log instead of throwing into the connection. */
export function guardNotification<P>(log: Logger, name: string, handler: (params: P) => void | Promise<void>) {
  return (params: P): void => {
    try {
      Promise.resolve(handler(params)).catch((e: unknown) => log.error(`${name} failed`, e));
    } catch (e) {
      log.error(`${name} failed`, e);
    }
  };
}
