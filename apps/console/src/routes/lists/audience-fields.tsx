import { Fieldset, MultiSelect, SimpleGrid, Text, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { useNames } from '../../api/labels';
import { ErrorAlert } from '../../components/error-alert';
import type { AudienceInput, Tlp } from '../../gql/graphql';
import { EDITOR_GROUPS, EDITOR_ORGANISATIONS } from '../report-editor-page';

export type Audience = {
  sectorCodes: string[];
  organisationIds: string[];
  groupIds: string[];
  red: string;
};

export const NO_AUDIENCE: Audience = {
  sectorCodes: [],
  organisationIds: [],
  groupIds: [],
  red: '',
};

/** The audience as the hub takes it: only AMBER, AMBER+STRICT and RED carry one. */
export function audienceInput(tlp: Tlp, a: Audience): AudienceInput | null {
  if (tlp === 'RED') {
    return {
      redRecipientEmails: a.red
        .split(/[\s,;]+/)
        .map((e) => e.trim())
        .filter(Boolean),
    };
  }
  if (tlp === 'AMBER' || tlp === 'AMBER_STRICT') {
    return { sectorCodes: a.sectorCodes, organisationIds: a.organisationIds, groupIds: a.groupIds };
  }
  return null;
}

/** The audience picker as the report editor has it: sectors, organisations, groups; RED by address. */
export function AudienceFields({
  tlp,
  value,
  onChange,
}: {
  tlp: Tlp;
  value: Audience;
  onChange: (a: Audience) => void;
}) {
  const { t } = useTranslation();
  const names = useNames();
  const [{ data: orgs, error: orgsError }] = useQuery({ query: EDITOR_ORGANISATIONS });
  const [{ data: groups, error: groupsError }] = useQuery({ query: EDITOR_GROUPS });
  if (tlp === 'RED') {
    return (
      <Textarea
        description={t('lists.create.audienceHint')}
        label={t('editor.audienceRed')}
        autosize
        minRows={2}
        value={value.red}
        onChange={(e) => onChange({ ...value, red: e.currentTarget.value })}
      />
    );
  }
  if (tlp !== 'AMBER' && tlp !== 'AMBER_STRICT') return null;
  return (
    <Fieldset legend={t('editor.audience')} variant="unstyled">
      <Text size="xs" c="dimmed" mb="xs">
        {t('lists.create.audienceHint')}
      </Text>
      <ErrorAlert error={orgsError ?? groupsError} />
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <MultiSelect
          label={t('editor.audienceSectors')}
          searchable
          value={value.sectorCodes}
          onChange={(v) => onChange({ ...value, sectorCodes: v })}
          data={names.sectors.map((s) => ({ value: s.code, label: names.sector(s.code) }))}
        />
        <MultiSelect
          label={t('editor.audienceOrganisations')}
          searchable
          value={value.organisationIds}
          onChange={(v) => onChange({ ...value, organisationIds: v })}
          data={(orgs?.organisations.edges ?? []).map(({ node }) => ({
            value: node.id,
            label: node.name,
          }))}
        />
        <MultiSelect
          label={t('editor.audienceGroups')}
          searchable
          value={value.groupIds}
          onChange={(v) => onChange({ ...value, groupIds: v })}
          data={(groups?.corporateGroups.edges ?? []).map(({ node }) => ({
            value: node.id,
            label: node.name,
          }))}
        />
      </SimpleGrid>
    </Fieldset>
  );
}
