import { CombinedError } from 'urql';
import type { TFunction } from 'i18next';

/** What the hub said went wrong: its message, stable code and the request id to quote. */
export class HubRequestError extends Error {
  constructor(
    message: string,
    readonly code?: string,
    readonly requestId?: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'HubRequestError';
  }

  static from(error: CombinedError): HubRequestError {
    const first = error.graphQLErrors[0];
    if (!first) return new HubRequestError(error.networkError?.message ?? error.message, 'NETWORK');
    const ext = (first.extensions ?? {}) as Record<string, unknown>;
    const messages = error.graphQLErrors.map((e) => e.message).join('\n');
    return new HubRequestError(
      messages,
      typeof ext.code === 'string' ? ext.code : undefined,
      typeof ext.requestId === 'string' ? ext.requestId : undefined,
      typeof ext.field === 'string' ? ext.field : undefined,
    );
  }
}

export type ShownError = { message: string; code?: string; requestId?: string };

/** Any failure as a person should read it: the hub's words, or the browser's, never a stack. */
export function describeError(error: unknown, t: TFunction): ShownError {
  // A screen's query hands over urql's error; its code and request id are the hub's.
  const e = error instanceof CombinedError ? HubRequestError.from(error) : error;
  if (e instanceof HubRequestError) {
    if (e.code === 'NETWORK') return { message: t('error.network') };
    return { message: e.message, code: e.code, requestId: e.requestId };
  }
  const name = (e as { name?: string } | null)?.name;
  if (name === 'NotAllowedError') return { message: t('error.passkeyCancelled') };
  if (name === 'InvalidStateError') return { message: t('error.passkeyRegistered') };
  return { message: (e as Error)?.message ?? String(e) };
}
