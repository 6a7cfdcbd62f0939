import {
  Alert,
  Anchor,
  Button,
  Card,
  Checkbox,
  Grid,
  Group,
  Mark,
  MultiSelect,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useQuery } from 'urql';
import { TLPS, useNames } from '../api/labels';
import { useHub } from '../api/use-hub';
import { DirectoryPicker } from '../components/directory-picker';
import { ErrorAlert } from '../components/error-alert';
import { TLP_LABEL, TlpBanner } from '../components/tlp-banner';
import { graphql } from '../gql';
import type { PreviewRedactionsMutation, ReportInput, ReportKind, Tlp } from '../gql/graphql';
import { ReportListsEditor } from './lists/report-lists';
import { SECTIONS } from './report-page';

const DRAFT = graphql(`
  query ReportDraft($id: ID!) {
    report(id: $id) {
      id
      title
      kind
      tlp
      status
      anonymous
      exerciseName
      categories
      affectedSectors
      summary
      background
      detection
      response
      cause
      countermeasures
      lessonsLearned
      impact {
        servicesAffected
        scope
        durationMinutes
      }
      timeline {
        occurredAt
        detectedAt
        containedAt
        recoveredAt
      }
      audience {
        sectorCodes
        organisationIds
        groupIds
        redRecipientEmails
      }
    }
  }
`);
// Only the coordinator issues advisories (the hub refuses others): offered to its people alone.
const OWN_KIND = graphql(`
  query EditorOwnKind {
    me {
      id
      organisation {
        id
        kind
      }
    }
  }
`);
const DRAFTS = graphql(`
  query EditorDrafts {
    drafts: reports(first: 20, filter: { status: DRAFT }) {
      edges {
        node {
          id
          title
          updatedAt
        }
      }
    }
  }
`);
const RED_RECIPIENTS = graphql(`
  query RedRecipients($emails: [String!]!) {
    redRecipientOrganisations(emails: $emails) {
      email
      organisationName
    }
  }
`);
const CREATE = graphql(`
  mutation CreateReport($input: ReportInput!) {
    createReport(input: $input) {
      id
    }
  }
`);
const UPDATE = graphql(`
  mutation UpdateReport($id: ID!, $input: ReportInput!) {
    updateReport(id: $id, input: $input) {
      id
    }
  }
`);
const PREVIEW = graphql(`
  mutation PreviewRedactions($id: ID!) {
    previewReportRedactions(id: $id) {
      previewHash
      author {
        labels
        tooFewToHideIn
      }
      sections {
        field
        text
        redactions {
          start
          end
          kind
          original
          replacement
        }
      }
    }
  }
`);
const PUBLISH = graphql(`
  mutation PublishReport($id: ID!, $hash: String!) {
    publishReport(id: $id, previewHash: $hash) {
      id
    }
  }
`);

type Section = (typeof SECTIONS)[number];
type RedactionPreview = PreviewRedactionsMutation['previewReportRedactions'];
type Form = {
  title: string;
  kind: ReportKind;
  tlp: Tlp;
  anonymous: boolean;
  categories: string[];
  affectedSectors: string[];
  sections: Record<Section, string>;
  servicesAffected: string;
  scope: string;
  durationMinutes: number | '';
  timeline: { occurredAt: string; detectedAt: string; containedAt: string; recoveredAt: string };
  sectorCodes: string[];
  organisationIds: string[];
  groupIds: string[];
  red: string;
  exercise: string;
};

const EMPTY: Form = {
  title: '',
  kind: 'INCIDENT',
  tlp: 'AMBER',
  anonymous: true,
  categories: [],
  affectedSectors: [],
  sections: Object.fromEntries(SECTIONS.map((s) => [s, ''])) as Record<Section, string>,
  servicesAffected: '',
  scope: '',
  durationMinutes: '',
  timeline: { occurredAt: '', detectedAt: '', containedAt: '', recoveredAt: '' },
  sectorCodes: [],
  organisationIds: [],
  groupIds: [],
  red: '',
  exercise: '',
};

/** datetime-local works in the reader's zone without seconds; the hub keeps instants. */
function toLocalInput(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
const fromLocalInput = (v: string) => (v ? new Date(v).toISOString() : null);
const emails = (text: string) =>
  text
    .split(/[\s,;]+/)
    .map((e) => e.trim())
    .filter(Boolean);

function toInput(f: Form, creating: boolean): ReportInput {
  const needsAudience = f.tlp === 'AMBER' || f.tlp === 'AMBER_STRICT' || f.tlp === 'RED';
  return {
    title: f.title,
    kind: f.kind,
    tlp: f.tlp,
    anonymous: f.anonymous,
    categories: f.categories,
    affectedSectors: f.affectedSectors,
    ...Object.fromEntries(SECTIONS.map((s) => [s, f.sections[s] || null])),
    impact: {
      servicesAffected: f.servicesAffected || null,
      scope: f.scope || null,
      durationMinutes: f.durationMinutes === '' ? null : f.durationMinutes,
    },
    timeline: {
      occurredAt: fromLocalInput(f.timeline.occurredAt),
      detectedAt: fromLocalInput(f.timeline.detectedAt),
      containedAt: fromLocalInput(f.timeline.containedAt),
      recoveredAt: fromLocalInput(f.timeline.recoveredAt),
    },
    // A drill's name is given once, at creation; the hub refuses to change it afterwards.
    ...(creating && f.exercise.trim() ? { exercise: f.exercise.trim() } : {}),
    audience: needsAudience
      ? f.tlp === 'RED'
        ? { redRecipientEmails: emails(f.red) }
        : { sectorCodes: f.sectorCodes, organisationIds: f.organisationIds, groupIds: f.groupIds }
      : null,
  };
}

/** A section's scrubbed text with each replacement marked, as the recipients will read it. */
function Redacted({ text, redactions }: RedactionPreview['sections'][number]): ReactNode {
  const parts: ReactNode[] = [];
  let at = 0;
  const sorted = [...redactions].sort((a, b) => a.start - b.start);
  for (const r of sorted) {
    // Offsets are into the scrubbed text: the replacement stands where the original was.
    const start = text.indexOf(r.replacement, at);
    if (start < 0) continue;
    parts.push(text.slice(at, start));
    parts.push(
      <Mark key={`${r.start}-${r.kind}`} title={r.kind} color="yellow">
        {r.replacement}
      </Mark>,
    );
    at = start + r.replacement.length;
  }
  parts.push(text.slice(at));
  return parts;
}

export function ReportEditorPage() {
  const { id } = useParams();
  const { t } = useTranslation();
  const names = useNames();
  const hub = useHub();
  const navigate = useNavigate();
  const [form, setForm] = useState<Form>(EMPTY);
  const [error, setError] = useState<unknown>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [preview, setPreview] = useState<RedactionPreview | null>(null);
  const [red, setRed] = useState<{ email: string; organisationName: string | null }[]>([]);
  const [{ data: draft }] = useQuery({ query: DRAFT, variables: { id: id ?? '' }, pause: !id });
  const [{ data: drafts, error: draftsError }] = useQuery({ query: DRAFTS });
  const [{ data: me }] = useQuery({ query: OWN_KIND });
  const kinds: ReportKind[] =
    me?.me.organisation.kind === 'COORDINATOR' || form.kind === 'ADVISORY'
      ? ['INCIDENT', 'NEAR_MISS', 'ADVISORY']
      : ['INCIDENT', 'NEAR_MISS'];

  useEffect(() => {
    const r = draft?.report;
    if (!r) return;
    setForm({
      title: r.title,
      kind: r.kind,
      tlp: r.tlp,
      anonymous: r.anonymous,
      categories: r.categories,
      affectedSectors: r.affectedSectors,
      sections: Object.fromEntries(SECTIONS.map((s) => [s, r[s] ?? ''])) as Record<Section, string>,
      servicesAffected: r.impact.servicesAffected ?? '',
      scope: r.impact.scope ?? '',
      durationMinutes: r.impact.durationMinutes ?? '',
      timeline: {
        occurredAt: toLocalInput(r.timeline.occurredAt),
        detectedAt: toLocalInput(r.timeline.detectedAt),
        containedAt: toLocalInput(r.timeline.containedAt),
        recoveredAt: toLocalInput(r.timeline.recoveredAt),
      },
      sectorCodes: r.audience?.sectorCodes ?? [],
      organisationIds: r.audience?.organisationIds ?? [],
      groupIds: r.audience?.groupIds ?? [],
      red: (r.audience?.redRecipientEmails ?? []).join('\n'),
      exercise: r.exerciseName ?? '',
    });
  }, [draft]);

  const set = <K extends keyof Form>(key: K, value: Form[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    setPreview(null);
    setNote(null);
  };

  async function save(): Promise<string> {
    const input = toInput(form, !id);
    if (id) {
      await hub.mutate(UPDATE, { id, input });
      return id;
    }
    const created = (await hub.mutate(CREATE, { input })).createReport.id;
    void navigate(`/write/${created}`, { replace: true });
    return created;
  }

  const act = (action: () => Promise<unknown>) => async () => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const sectorOptions = names.sectors.map((s) => ({ value: s.code, label: names.sector(s.code) }));

  return (
    <Stack>
      <Title order={1} size="h2">
        {id ? t('editor.editTitle') : t('editor.newTitle')}
      </Title>
      <ErrorAlert error={draftsError} />
      <Grid>
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack>
            <TlpBanner tlp={form.tlp} />
            <TextInput
              label={t('editor.title')}
              required
              value={form.title}
              onChange={(e) => set('title', e.currentTarget.value)}
            />
            <Group grow>
              <Select
                label={t('editor.kind')}
                allowDeselect={false}
                value={form.kind}
                onChange={(v) => v && set('kind', v as ReportKind)}
                data={kinds.map((k) => ({
                  value: k,
                  label: t(`kind.${k}`),
                }))}
              />
              <Select
                label={t('editor.tlp')}
                allowDeselect={false}
                value={form.tlp}
                onChange={(v) => v && set('tlp', v as Tlp)}
                data={TLPS.map((x) => ({ value: x, label: TLP_LABEL[x] }))}
              />
            </Group>
            {form.kind !== 'ADVISORY' && (
              <Checkbox
                label={t('editor.anonymous')}
                checked={form.anonymous}
                onChange={(e) => set('anonymous', e.currentTarget.checked)}
              />
            )}
            <TextInput
              label={t('lists.editor.exercise')}
              description={t('lists.editor.exerciseHint')}
              value={form.exercise}
              disabled={!!id}
              onChange={(e) => set('exercise', e.currentTarget.value)}
            />
            <Group grow>
              <MultiSelect
                label={t('report.categories')}
                searchable
                value={form.categories}
                onChange={(v) => set('categories', v)}
                data={names.categories.map((c) => ({
                  value: c.code,
                  label: names.category(c.code),
                }))}
              />
              <MultiSelect
                label={t('report.sectors')}
                searchable
                value={form.affectedSectors}
                onChange={(v) => set('affectedSectors', v)}
                data={sectorOptions}
              />
            </Group>
            {SECTIONS.map((s) => (
              <Textarea
                key={s}
                label={t(`report.sections.${s}`)}
                autosize
                minRows={2}
                value={form.sections[s]}
                onChange={(e) => set('sections', { ...form.sections, [s]: e.currentTarget.value })}
              />
            ))}
            <Card withBorder>
              <Title order={2} size="h5" mb="xs">
                {t('report.impact')}
              </Title>
              <SimpleGrid cols={{ base: 1, sm: 3 }}>
                <TextInput
                  label={t('report.servicesAffected')}
                  value={form.servicesAffected}
                  onChange={(e) => set('servicesAffected', e.currentTarget.value)}
                />
                <TextInput
                  label={t('report.scope')}
                  value={form.scope}
                  onChange={(e) => set('scope', e.currentTarget.value)}
                />
                <NumberInput
                  label={t('report.duration')}
                  min={0}
                  value={form.durationMinutes}
                  onChange={(v) => set('durationMinutes', typeof v === 'number' ? v : '')}
                />
              </SimpleGrid>
              <Title order={2} size="h5" my="xs">
                {t('report.timeline')}
              </Title>
              <SimpleGrid cols={{ base: 1, sm: 4 }}>
                {(['occurredAt', 'detectedAt', 'containedAt', 'recoveredAt'] as const).map((k) => (
                  <TextInput
                    key={k}
                    type="datetime-local"
                    label={t(`report.${k}`)}
                    value={form.timeline[k]}
                    onChange={(e) =>
                      set('timeline', { ...form.timeline, [k]: e.currentTarget.value })
                    }
                  />
                ))}
              </SimpleGrid>
            </Card>
            <Card withBorder component="fieldset" id="audience">
              <Title order={2} size="h5" component="legend">
                {t('editor.audience')}
              </Title>
              <Text size="xs" c="dimmed" mb="xs">
                {t('editor.audienceHint')}
              </Text>
              {form.tlp === 'RED' ? (
                <Stack gap="xs">
                  <Textarea
                    label={t('editor.audienceRed')}
                    autosize
                    minRows={2}
                    value={form.red}
                    onChange={(e) => set('red', e.currentTarget.value)}
                    onBlur={act(async () => {
                      const list = emails(form.red);
                      setRed(
                        list.length
                          ? (await hub.query(RED_RECIPIENTS, { emails: list }))
                              .redRecipientOrganisations
                          : [],
                      );
                    })}
                  />
                  {red.map((r) => (
                    <Text size="sm" key={r.email}>
                      {r.organisationName
                        ? t('editor.redResolved', {
                            email: r.email,
                            organisation: r.organisationName,
                          })
                        : t('editor.redUnknown', { email: r.email })}
                    </Text>
                  ))}
                </Stack>
              ) : form.tlp === 'AMBER' || form.tlp === 'AMBER_STRICT' ? (
                <SimpleGrid cols={{ base: 1, sm: 3 }}>
                  <MultiSelect
                    label={t('editor.audienceSectors')}
                    searchable
                    value={form.sectorCodes}
                    onChange={(v) => set('sectorCodes', v)}
                    data={sectorOptions}
                  />
                  <DirectoryPicker
                    directory="organisations"
                    label={t('editor.audienceOrganisations')}
                    value={form.organisationIds}
                    onChange={(v) => set('organisationIds', v)}
                  />
                  <DirectoryPicker
                    directory="groups"
                    label={t('editor.audienceGroups')}
                    value={form.groupIds}
                    onChange={(v) => set('groupIds', v)}
                  />
                </SimpleGrid>
              ) : null}
            </Card>
            <ReportListsEditor reportId={id} />
            <Group>
              <Button
                variant="default"
                loading={busy}
                onClick={act(async () => {
                  await save();
                  setNote(t('editor.saved'));
                })}
              >
                {t('editor.saveDraft')}
              </Button>
              <Button
                loading={busy}
                onClick={act(async () => {
                  const saved = await save();
                  setPreview((await hub.mutate(PREVIEW, { id: saved })).previewReportRedactions);
                })}
              >
                {t('editor.preview')}
              </Button>
              {note && (
                <Text role="status" size="sm">
                  {note}
                </Text>
              )}
            </Group>
            <ErrorAlert error={error} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Card withBorder>
            <Title order={2} size="h5" mb="xs">
              {t('editor.drafts')}
            </Title>
            <Stack gap={4}>
              {(drafts?.drafts.edges ?? []).length === 0 && (
                <Text c="dimmed">{t('editor.noDrafts')}</Text>
              )}
              {(drafts?.drafts.edges ?? []).map(({ node }) => (
                <Anchor key={node.id} component={Link} to={`/write/${node.id}`} size="sm">
                  {node.title || '—'}
                </Anchor>
              ))}
            </Stack>
          </Card>
        </Grid.Col>
      </Grid>
      {preview && (
        <Card withBorder id="redaction-preview" component="section" aria-labelledby="preview-title">
          <Title order={2} size="h4" id="preview-title" mb="sm">
            {t('editor.previewTitle')}
          </Title>
          <Text size="sm" mb="xs" id="preview-author">
            {t('editor.shownAs', {
              labels: preview.author.labels.join(t('editor.labelSeparator')),
            })}
          </Text>
          {preview.author.tooFewToHideIn && (
            <Alert color="yellow" mb="sm" id="preview-too-few" role="note">
              {/* The title inside, in the text colour: Mantine's yellow title is too pale. */}
              <Text fw={700} size="sm">
                {t('editor.tooFewTitle')}
              </Text>
              <Text size="sm">{t('editor.tooFewText')}</Text>
            </Alert>
          )}
          <SimpleGrid cols={2} mb={4}>
            <Text fw={700}>{t('editor.original')}</Text>
            <Text fw={700}>{t('editor.redacted')}</Text>
          </SimpleGrid>
          <Stack>
            {preview.sections.map((s) => (
              <div key={s.field}>
                <Text size="sm" c="dimmed">
                  {SECTIONS.includes(s.field as Section)
                    ? t(`report.sections.${s.field as Section}`)
                    : s.field === 'title'
                      ? t('editor.title')
                      : s.field}{' '}
                  ·{' '}
                  {s.redactions.length
                    ? t('editor.redactions', { count: s.redactions.length })
                    : t('editor.noRedactions')}
                </Text>
                <SimpleGrid cols={2}>
                  <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} className="original">
                    {s.field === 'title' ? form.title : (form.sections[s.field as Section] ?? '')}
                  </Text>
                  <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} className="redacted">
                    <Redacted {...s} />
                  </Text>
                </SimpleGrid>
              </div>
            ))}
          </Stack>
          <Button
            mt="md"
            loading={busy}
            onClick={act(async () => {
              const r = await hub.mutate(PUBLISH, { id: id!, hash: preview.previewHash });
              void navigate(`/reports/${r.publishReport.id}`);
            })}
            disabled={!id}
          >
            {t('editor.publish')}
          </Button>
        </Card>
      )}
    </Stack>
  );
}
