import { startAuthentication, startRegistration } from '@simplewebauthn/browser';
import { graphql } from '../gql';
import type { useHub } from './use-hub';

const START_AUTH = graphql(`
  mutation StartPasskeyAuthentication {
    startPasskeyAuthentication {
      challengeId
      optionsJson
    }
  }
`);
const FINISH_AUTH = graphql(`
  mutation FinishPasskeyAuthentication($c: String!, $r: String!) {
    finishPasskeyAuthentication(challengeId: $c, responseJson: $r) {
      secondFactorVerified
    }
  }
`);
const START_REGISTRATION = graphql(`
  mutation StartPasskeyRegistration {
    startPasskeyRegistration {
      challengeId
      optionsJson
    }
  }
`);
const FINISH_REGISTRATION = graphql(`
  mutation FinishPasskeyRegistration($c: String!, $r: String!, $n: String!) {
    finishPasskeyRegistration(challengeId: $c, responseJson: $r, name: $n) {
      recoveryCodes
      passkey {
        id
      }
    }
  }
`);

type Hub = ReturnType<typeof useHub>;

/** A passkey check: the second step of a password login (the cookie says whose), or alone. */
export async function passkeyCheck(hub: Hub): Promise<void> {
  const start = (await hub.mutate(START_AUTH, {})).startPasskeyAuthentication;
  const response = await startAuthentication({ optionsJSON: JSON.parse(start.optionsJson) });
  await hub.mutate(FINISH_AUTH, { c: start.challengeId, r: JSON.stringify(response) });
}

/** Registers a passkey; answers the recovery codes when this was the first factor. */
export async function registerPasskey(hub: Hub, name: string): Promise<string[] | null> {
  const start = (await hub.mutate(START_REGISTRATION, {})).startPasskeyRegistration;
  const response = await startRegistration({ optionsJSON: JSON.parse(start.optionsJson) });
  const done = await hub.mutate(FINISH_REGISTRATION, {
    c: start.challengeId,
    r: JSON.stringify(response),
    n: name,
  });
  return done.finishPasskeyRegistration.recoveryCodes ?? null;
}
