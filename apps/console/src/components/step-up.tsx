import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { createContext, useCallback, useContext, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { HubRequestError } from '../api/errors';
import { useHub } from '../api/use-hub';
import { passkeyCheck } from '../api/webauthn';
import { graphql } from '../gql';
import { ErrorAlert } from './error-alert';

const VERIFY_TOTP = graphql(`
  mutation StepUpTotp($c: String!) {
    verifyTotp(code: $c) {
      secondFactorVerified
    }
  }
`);

type Pending = { retry: () => void; cancel: () => void };
type RunWithStepUp = <T>(action: () => Promise<T>) => Promise<T>;

const StepUpContext = createContext<RunWithStepUp>((action) => action());

/**
 * Runs an action; when the hub answers STEP_UP_REQUIRED (the second factor was checked too long
 * ago) it asks for the factor in place and runs the action again, so the person continues
 * where they were instead of logging in anew.
 */
export function useStepUp(): RunWithStepUp {
  return useContext(StepUpContext);
}

export function StepUpProvider({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const hub = useHub();
  const [pending, setPending] = useState<Pending | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const pendingRef = useRef<Pending | null>(null);

  const run: RunWithStepUp = useCallback(async (action) => {
    try {
      return await action();
    } catch (e) {
      if (!(e instanceof HubRequestError) || e.code !== 'STEP_UP_REQUIRED') throw e;
      return new Promise((resolve, reject) => {
        const p: Pending = {
          retry: () => action().then(resolve, reject),
          cancel: () => reject(e),
        };
        pendingRef.current = p;
        setCode('');
        setError(null);
        setPending(p);
      });
    }
  }, []);

  async function confirm(check: () => Promise<unknown>) {
    setBusy(true);
    setError(null);
    try {
      await check();
      const p = pendingRef.current;
      pendingRef.current = null;
      setPending(null);
      p?.retry();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  function cancel() {
    const p = pendingRef.current;
    pendingRef.current = null;
    setPending(null);
    p?.cancel();
  }

  return (
    <StepUpContext.Provider value={run}>
      {children}
      <Modal
        opened={pending !== null}
        onClose={cancel}
        title={t('stepUp.title')}
        closeButtonProps={{ 'aria-label': t('stepUp.cancel') }}
        centered
      >
        <Stack>
          <Text size="sm">{t('stepUp.text')}</Text>
          <form
            onSubmit={(ev) => {
              ev.preventDefault();
              void confirm(() => hub.mutate(VERIFY_TOTP, { c: code.trim() }));
            }}
          >
            <Stack>
              <TextInput
                label={t('stepUp.totp')}
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
                value={code}
                onChange={(ev) => setCode(ev.currentTarget.value)}
                data-autofocus
              />
              <Group>
                <Button type="submit" loading={busy}>
                  {t('stepUp.verify')}
                </Button>
                <Button variant="default" onClick={() => void confirm(() => passkeyCheck(hub))}>
                  {t('stepUp.passkey')}
                </Button>
                <Button variant="subtle" onClick={cancel}>
                  {t('stepUp.cancel')}
                </Button>
              </Group>
            </Stack>
          </form>
          <ErrorAlert error={error} />
        </Stack>
      </Modal>
    </StepUpContext.Provider>
  );
}
