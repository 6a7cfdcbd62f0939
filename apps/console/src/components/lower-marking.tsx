import { Button, Group, Modal, Radio, Stack, Text, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { TLPS, useNames } from '../api/labels';
import { useHub } from '../api/use-hub';
import { graphql } from '../gql';
import type { Tlp } from '../gql/graphql';
import {
  AudienceFields,
  audienceIsEmpty,
  audienceOf,
  useGroups,
  useOrganisations,
  type AudienceValue,
} from './audience-fields';
import { ErrorAlert } from './error-alert';
import { TLP_LABEL } from './tlp-banner';

const LOWER = graphql(`
  mutation LowerReportMarking($id: ID!, $tlp: Tlp!, $audience: AudienceInput, $reason: String!) {
    lowerReportMarking(id: $id, tlp: $tlp, audience: $audience, reason: $reason) {
      id
      tlp
    }
  }
`);

const needsAudience = (tlp: Tlp) => tlp === 'AMBER' || tlp === 'AMBER_STRICT';

/**
 * The owner's explicit act of showing a report to more readers. Only markings below the current
 * one are offered (raising is an ordinary edit); the dialog says who will see it before the
 * owner confirms, and the hub records the change in the audit trail.
 */
export function LowerMarking({
  report,
  onLowered,
}: {
  report: { id: string; tlp: Tlp; audience?: Partial<AudienceValue> | null };
  onLowered: (tlp: Tlp) => void;
}) {
  const { t } = useTranslation();
  const hub = useHub();
  const names = useNames();
  const lower = TLPS.slice(0, TLPS.indexOf(report.tlp)).filter((x) => x !== 'RED');
  const [open, setOpen] = useState(false);
  const [tlp, setTlp] = useState<Tlp>(lower[lower.length - 1] ?? 'CLEAR');
  const [audience, setAudience] = useState<AudienceValue>(audienceOf(report.audience));
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const orgs = useOrganisations(audience.organisationIds);
  const groups = useGroups(audience.groupIds);
  if (lower.length === 0) return null;

  async function submit(ev: FormEvent) {
    ev.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await hub.mutate(LOWER, {
        id: report.id,
        tlp,
        reason,
        audience: needsAudience(tlp) ? audience : null,
      });
      setOpen(false);
      setReason('');
      onLowered(r.lowerReportMarking.tlp);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  const named = needsAudience(tlp)
    ? [
        ...audience.sectorCodes.map(names.sector),
        ...audience.organisationIds.map(orgs.name),
        ...audience.groupIds.map(groups.name),
      ]
    : [];

  return (
    <>
      <Button size="xs" variant="outline" onClick={() => setOpen(true)} id="lower-marking">
        {t('sector.marking.lower')}
      </Button>
      <Modal
        opened={open}
        onClose={() => setOpen(false)}
        title={t('sector.marking.title')}
        closeButtonProps={{ 'aria-label': t('stepUp.cancel') }}
        size="lg"
        centered
      >
        <form onSubmit={(ev) => void submit(ev)}>
          <Stack>
            <Text size="sm">{t('sector.marking.intro')}</Text>
            <Text size="sm">{t('sector.marking.current', { label: TLP_LABEL[report.tlp] })}</Text>
            <Radio.Group
              label={t('sector.marking.newTlp')}
              value={tlp}
              onChange={(v) => setTlp(v as Tlp)}
            >
              <Group mt={4}>
                {lower.map((x) => (
                  <Radio key={x} value={x} label={TLP_LABEL[x]} />
                ))}
              </Group>
            </Radio.Group>
            {needsAudience(tlp) && <AudienceFields value={audience} onChange={setAudience} />}
            <div role="status" aria-live="polite" id="lower-who-sees">
              <Text size="sm" fw={700}>
                {t('sector.marking.whoSees')}
              </Text>
              <Text size="sm">{t(`sector.whoSees.${tlp}`)}</Text>
              {named.length > 0 && <Text size="sm">{named.join(', ')}</Text>}
              {needsAudience(tlp) && audienceIsEmpty(audience) && (
                <Text size="sm" c="red.9">
                  {t('sector.marking.audienceEmpty')}
                </Text>
              )}
            </div>
            <Textarea
              label={t('sector.marking.reason')}
              required
              autosize
              minRows={2}
              value={reason}
              onChange={(e) => setReason(e.currentTarget.value)}
            />
            <Group>
              <Button type="submit" loading={busy}>
                {t('sector.marking.confirm')}
              </Button>
              <Button variant="default" onClick={() => setOpen(false)}>
                {t('stepUp.cancel')}
              </Button>
            </Group>
            <ErrorAlert error={error} />
          </Stack>
        </form>
      </Modal>
    </>
  );
}
