import { Alert, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { describeError } from '../api/errors';

/** The hub's message with its code and request id, so a person can quote them to an admin. */
export function ErrorAlert({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const shown = describeError(error, t);
  return (
    <Alert color="red" role="alert" data-testid="error">
      <Text size="sm" className="error-message" style={{ whiteSpace: 'pre-line' }}>
        {shown.message}
      </Text>
      {(shown.code || shown.requestId) && (
        <Text size="xs" c="dark.6">
          {shown.code && t('error.code', { code: shown.code })}
          {shown.code && shown.requestId && ' · '}
          {shown.requestId && t('error.requestId', { id: shown.requestId })}
        </Text>
      )}
    </Alert>
  );
}
