import { MultiSelect, SimpleGrid } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { useNames } from '../api/labels';
import { graphql } from '../gql';
import { DirectoryPicker } from './directory-picker';

// Two queries, not one: together with a screen's own query they stay under the cost limit.
const ORGANISATIONS = graphql(`
  query AudienceOrganisations {
    organisations(first: 100) {
      edges {
        node {
          id
          name
          kind
        }
      }
    }
  }
`);
const GROUPS = graphql(`
  query AudienceGroups {
    corporateGroups(first: 100) {
      edges {
        node {
          id
          name
        }
      }
    }
  }
`);

/** The member directory as picker options (name and kind), and a name by id. */
export function useOrganisations() {
  const [{ data }] = useQuery({ query: ORGANISATIONS, requestPolicy: 'cache-first' });
  const all = (data?.organisations.edges ?? []).map((e) => e.node);
  const byId = new Map(all.map((o) => [o.id, o.name]));
  return { all, name: (id: string) => byId.get(id) ?? id };
}

export function useGroups() {
  const [{ data }] = useQuery({ query: GROUPS, requestPolicy: 'cache-first' });
  const all = (data?.corporateGroups.edges ?? []).map((e) => e.node);
  const byId = new Map(all.map((g) => [g.id, g.name]));
  return { all, name: (id: string) => byId.get(id) ?? id };
}

export interface AudienceValue {
  sectorCodes: string[];
  organisationIds: string[];
  groupIds: string[];
}

/**
 * The editable audience of what the hub returned: only its three lists, since a query result
 * also carries `__typename`, which the hub refuses in an AudienceInput.
 */
export function audienceOf(a: Partial<AudienceValue> | null | undefined): AudienceValue {
  return {
    sectorCodes: a?.sectorCodes ?? [],
    organisationIds: a?.organisationIds ?? [],
    groupIds: a?.groupIds ?? [],
  };
}

export function audienceIsEmpty(a: AudienceValue): boolean {
  return a.sectorCodes.length + a.organisationIds.length + a.groupIds.length === 0;
}

/** Who an AMBER or AMBER+STRICT item is for: sectors, organisations and corporate groups. */
export function AudienceFields({
  value,
  onChange,
}: {
  value: AudienceValue;
  onChange: (v: AudienceValue) => void;
}) {
  const { t } = useTranslation();
  const names = useNames();
  return (
    <SimpleGrid cols={{ base: 1, sm: 3 }}>
      <MultiSelect
        label={t('sector.audience.sectors')}
        searchable
        value={value.sectorCodes}
        onChange={(v) => onChange({ ...value, sectorCodes: v })}
        data={names.sectors.map((s) => ({ value: s.code, label: names.sector(s.code) }))}
      />
      <DirectoryPicker
        directory="organisations"
        label={t('sector.audience.organisations')}
        value={value.organisationIds}
        onChange={(v) => onChange({ ...value, organisationIds: v })}
      />
      <DirectoryPicker
        directory="groups"
        label={t('sector.audience.groups')}
        value={value.groupIds}
        onChange={(v) => onChange({ ...value, groupIds: v })}
      />
    </SimpleGrid>
  );
}
