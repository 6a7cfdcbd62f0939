import { MultiSelect, SimpleGrid } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { useNames } from '../api/labels';
import { graphql } from '../gql';
import { DirectoryPicker } from './directory-picker';

// Names (and kinds) of the ids a screen holds, asked by id: a community has more organisations
// than one page holds, so a screen never looks names up in a first page of the directory.
const ORGANISATIONS = graphql(`
  query AudienceOrganisations($ids: [ID!], $first: Int!) {
    organisations(first: $first, filter: { ids: $ids }) {
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
  query AudienceGroups($ids: [ID!], $first: Int!) {
    corporateGroups(first: $first, filter: { ids: $ids }) {
      edges {
        node {
          id
          name
        }
      }
    }
  }
`);

/** The hub names at most 100 ids per request (the filter's limit). */
const NAMED = 100;

/** Organisations by id (name and kind), and a name by id (the id itself until it is known). */
export function useOrganisations(ids: string[]) {
  const asked = ids.slice(0, NAMED);
  const [{ data }] = useQuery({
    query: ORGANISATIONS,
    variables: { ids: asked, first: Math.max(1, asked.length) },
    pause: asked.length === 0,
    requestPolicy: 'cache-first',
  });
  const all = (data?.organisations.edges ?? []).map((e) => e.node);
  const byId = new Map(all.map((o) => [o.id, o]));
  return {
    kind: (id: string) => byId.get(id)?.kind,
    name: (id: string) => byId.get(id)?.name ?? id,
  };
}

export function useGroups(ids: string[]) {
  const asked = ids.slice(0, NAMED);
  const [{ data }] = useQuery({
    query: GROUPS,
    variables: { ids: asked, first: Math.max(1, asked.length) },
    pause: asked.length === 0,
    requestPolicy: 'cache-first',
  });
  const byId = new Map((data?.corporateGroups.edges ?? []).map((e) => [e.node.id, e.node.name]));
  return { name: (id: string) => byId.get(id) ?? id };
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
