import { PasswordInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useHub } from '../api/use-hub';
import { OneTimeTokenForm } from '../components/one-time-token-form';
import { graphql } from '../gql';

const RESET = graphql(`
  mutation ResetPassword($token: String!, $p: String!) {
    resetPassword(token: $token, newPassword: $p)
  }
`);

/** Redeems the one-time token an admin handed over, with the new password. */
export function ResetPasswordPage() {
  const { t } = useTranslation();
  const hub = useHub();
  const [password, setPassword] = useState('');
  return (
    <OneTimeTokenForm
      id="reset-password-form"
      title={t('reset.title')}
      tokenLabel={t('reset.token')}
      submit={t('reset.submit')}
      done={t('reset.done')}
      toLogin={t('reset.toLogin')}
      redeem={async (token) => {
        await hub.mutate(RESET, { token, p: password });
        setPassword('');
      }}
    >
      <PasswordInput
        label={t('reset.password')}
        autoComplete="new-password"
        required
        value={password}
        onChange={(e) => setPassword(e.currentTarget.value)}
      />
    </OneTimeTokenForm>
  );
}
