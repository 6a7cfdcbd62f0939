import { MultiSelect, Stack } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { graphql } from '../gql';
import { ErrorAlert } from './error-alert';

/*
 * Organisations and corporate groups to pick from, searched on the hub as the person types: a
 * community has more of them than one page (100) holds. The picked ones' names are asked by id,
 * so a draft's audience reads as names even when they are not among the matches shown.
 */
const ORGANISATIONS = graphql(`
  query PickerOrganisations($first: Int!, $search: String, $ids: [ID!]) {
    organisations(first: $first, filter: { nameContains: $search, ids: $ids }) {
      totalCount
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
  query PickerGroups($first: Int!, $search: String, $ids: [ID!]) {
    corporateGroups(first: $first, filter: { nameContains: $search, ids: $ids }) {
      totalCount
      edges {
        node {
          id
          name
        }
      }
    }
  }
`);

const SHOWN = 20;

type Choices = {
  totalCount: number;
  edges: { node: { id: string; name: string; kind?: string } }[];
};

export function DirectoryPicker({
  directory,
  label,
  value,
  onChange,
  exclude,
}: {
  directory: 'organisations' | 'groups';
  label: string;
  value: string[];
  onChange: (ids: string[]) => void;
  /** Not offered: these ids and organisations of these kinds (e.g. one's own, coordinators). */
  exclude?: { ids?: string[]; kinds?: string[] };
}) {
  const { t } = useTranslation();
  const [typed, setTyped] = useState('');
  const [search] = useDebouncedValue(typed.trim(), 250);
  const query = directory === 'organisations' ? ORGANISATIONS : GROUPS;
  const pick = (data: unknown): Choices | undefined =>
    data
      ? directory === 'organisations'
        ? (data as { organisations: Choices }).organisations
        : (data as { corporateGroups: Choices }).corporateGroups
      : undefined;
  const [found] = useQuery({
    query,
    variables: { first: SHOWN, search: search || undefined },
  });
  const [named] = useQuery({
    query,
    variables: { first: Math.max(1, value.length), ids: value },
    pause: value.length === 0,
  });
  const matches = pick(found.data);
  const picked = pick(named.data);

  const data = useMemo(() => {
    const seen = new Map<string, string>();
    const offered = (node: { id: string; kind?: string }) =>
      !exclude?.ids?.includes(node.id) && !(node.kind && exclude?.kinds?.includes(node.kind));
    for (const { node } of [...(picked?.edges ?? []), ...(matches?.edges ?? [])]) {
      if (offered(node) || value.includes(node.id)) seen.set(node.id, node.name);
    }
    // An id not (yet) named still shows, so nothing picked silently disappears.
    for (const id of value) if (!seen.has(id)) seen.set(id, id);
    return [...seen].map(([id, name]) => ({ value: id, label: name }));
  }, [picked, matches, value, exclude]);

  const matched = useMemo(() => new Set(matches?.edges.map((e) => e.node.id)), [matches]);
  const total = matches?.totalCount ?? 0;
  const shown = matches?.edges.length ?? 0;
  return (
    <Stack gap={4}>
      <MultiSelect
        label={label}
        searchable
        searchValue={typed}
        onSearchChange={setTyped}
        // The hub has matched the name; the list shows what it answered (picked ones included).
        filter={({ options }) =>
          options.filter((o) => 'value' in o && (matched.has(o.value) || !search))
        }
        value={value}
        onChange={onChange}
        data={data}
        // Always a message: without one Mantine hides the list while it is empty, as when a
        // search is on its way, and keeps it hidden.
        nothingFoundMessage={
          found.fetching ? t('journeys.picker.searching') : t('journeys.picker.none')
        }
        description={
          total > shown
            ? t('journeys.picker.more', { shown, total })
            : t('journeys.picker.typeToSearch')
        }
      />
      <ErrorAlert error={found.error ?? named.error} />
    </Stack>
  );
}
