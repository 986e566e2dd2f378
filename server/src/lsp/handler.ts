/**
 * Every request handler goes through `guard`: a cancelled request answers RequestCancelled; a
 * mistake the user can fix (UserFacingError, a database error) is logged as a warning without a
 * stack and answered as RequestFailed with what to open in `data`; anything else is logged with its
 * stack and answered as an InternalError. The message the user sees never names the method.
 */
import {
  ErrorCodes,
  LSPErrorCodes,
  ResponseError,
  CancellationToken,
} from 'vscode-languageserver/node';
import { DbError } from '../db/errors';
import type { Logger } from './logger';

/** Where the user fixes it: the role-mapping config, the extension's settings, or the database. */
export interface UserErrorData {
  kind: 'config' | 'settings' | 'database';
  /** The config file, for kind 'config'. */
  file?: string;
}

/** A failure the user caused and can fix (a config with errors, no database configured...). */
export class UserFacingError extends Error {
  constructor(
    message: string,
    readonly data: UserErrorData,
  ) {
    super(message);
  }
}

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
      if (e instanceof UserFacingError || e instanceof DbError) {
        const data: UserErrorData = e instanceof UserFacingError ? e.data : { kind: 'database' };
        log.warn(`${name}: ${e.message}`);
        return new ResponseError(LSPErrorCodes.RequestFailed, e.message, data) as ResponseError<void>;
      }
      log.error(`${name} failed`, e);
      return new ResponseError(ErrorCodes.InternalError, e instanceof Error ? e.message : String(e));
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
