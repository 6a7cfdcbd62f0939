import { useTranslation } from 'react-i18next';
import { useHub } from '../api/use-hub';
import { OneTimeTokenForm } from '../components/one-time-token-form';
import { graphql } from '../gql';

const VERIFY = graphql(`
  mutation VerifyEmail($token: String!) {
    verifyEmail(token: $token)
  }
`);

/**
 * Redeems the one-time link the hub mailed to an address, when the person presses the button:
 * mail scanners that open links prove nothing.
 */
export function VerifyEmailPage() {
  const { t } = useTranslation();
  const hub = useHub();
  return (
    <OneTimeTokenForm
      id="verify-email-form"
      title={t('verify.title')}
      intro={t('verify.text')}
      tokenLabel={t('verify.token')}
      submit={t('verify.submit')}
      done={t('verify.done')}
      toLogin={t('verify.toLogin')}
      redeem={(token) => hub.mutate(VERIFY, { token })}
    />
  );
}
