import { useCallback } from 'react';
import { useClient } from 'urql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { HubRequestError } from './errors';

/**
 * Mutations and one-off queries as promises that throw the hub's error, so a screen handles
 * failure once (the step-up prompt, an error line) instead of checking every result.
 */
export function useHub() {
  const client = useClient();
  const mutate = useCallback(
    async <R, V extends object>(doc: TypedDocumentNode<R, V>, variables: V): Promise<R> => {
      const result = await client.mutation(doc, variables).toPromise();
      if (result.error) throw HubRequestError.from(result.error);
      return result.data as R;
    },
    [client],
  );
  const query = useCallback(
    async <R, V extends object>(doc: TypedDocumentNode<R, V>, variables: V): Promise<R> => {
      const result = await client
        .query(doc, variables, { requestPolicy: 'network-only' })
        .toPromise();
      if (result.error) throw HubRequestError.from(result.error);
      return result.data as R;
    },
    [client],
  );
  return { mutate, query };
}
