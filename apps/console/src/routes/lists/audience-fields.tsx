import { Fieldset, MultiSelect, SimpleGrid, Text, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useNames } from '../../api/labels';
import { DirectoryPicker } from '../../components/directory-picker';
import type { AudienceInput, Tlp } from '../../gql/graphql';

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
      <SimpleGrid cols={{ base: 1, sm: 3 }}>
        <MultiSelect
          label={t('editor.audienceSectors')}
          searchable
          value={value.sectorCodes}
          onChange={(v) => onChange({ ...value, sectorCodes: v })}
          data={names.sectors.map((s) => ({ value: s.code, label: names.sector(s.code) }))}
        />
        <DirectoryPicker
          directory="organisations"
          label={t('editor.audienceOrganisations')}
          value={value.organisationIds}
          onChange={(v) => onChange({ ...value, organisationIds: v })}
        />
        <DirectoryPicker
          directory="groups"
          label={t('editor.audienceGroups')}
          value={value.groupIds}
          onChange={(v) => onChange({ ...value, groupIds: v })}
        />
      </SimpleGrid>
    </Fieldset>
  );
}
