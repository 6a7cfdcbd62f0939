import { createContext, useContext, type ReactNode } from 'react';
import { Navigate, useLocation } from 'react-router';
import { useQuery } from 'urql';
import { Center, Loader } from '@mantine/core';
import { graphql } from '../gql';
import type { SessionQuery } from '../gql/graphql';
import { ErrorAlert } from '../components/error-alert';
import { HubRequestError } from './errors';

export const SESSION = graphql(`
  query Session {
    me {
      id
      email
      displayName
      role
      organisation {
        id
        name
      }
    }
    mySecurity {
      secondFactorVerified
      totpEnabled
      passkeys {
        id
      }
    }
  }
`);

export type Session = SessionQuery;

/** Where a browser's session stands, the one place the console decides it. */
export type SessionState = 'none' | 'needs-enrolment' | 'needs-second-factor' | 'full';

export function sessionState(data: SessionQuery | undefined, error: unknown): SessionState {
  if (!data || error) return 'none';
  const s = data.mySecurity;
  if (s.secondFactorVerified) return 'full';
  return s.totpEnabled || s.passkeys.length > 0 ? 'needs-second-factor' : 'needs-enrolment';
}

const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in route');
  return s;
}

/**
 * Routes behind a session. The hub enforces every rule itself; this only sends a person to the
 * step that lets them continue (log in, the second step, or enrolment on the account page).
 */
export function RequireSession({
  children,
  allowEnrolment = false,
}: {
  children: ReactNode;
  allowEnrolment?: boolean;
}) {
  const [{ data, error, fetching }] = useQuery({ query: SESSION, requestPolicy: 'network-only' });
  const location = useLocation();
  if (fetching && !data) {
    return (
      <Center p="xl">
        <Loader aria-label="…" />
      </Center>
    );
  }
  if (error) {
    const e = HubRequestError.from(error);
    if (e.code !== 'UNAUTHENTICATED') return <ErrorAlert error={e} />;
  }
  const state = sessionState(data, error);
  const next = encodeURIComponent(location.pathname + location.search);
  if (state === 'none' || state === 'needs-second-factor') {
    return <Navigate to={`/login?next=${next}`} replace />;
  }
  if (state === 'needs-enrolment' && !allowEnrolment) return <Navigate to="/account" replace />;
  return <SessionContext.Provider value={data!}>{children}</SessionContext.Provider>;
}
