import {
  Alert,
  Button,
  Card,
  Checkbox,
  Group,
  Progress,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { Dropzone } from '@mantine/dropzone';
import '@mantine/dropzone/styles.css';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { HubRequestError } from '../../api/errors';
import { useHub } from '../../api/use-hub';
import { ErrorAlert } from '../../components/error-alert';
import { graphql } from '../../gql';
import type { EntryFormat, ImportResultFragment } from '../../gql/graphql';

graphql(`
  fragment ImportResult on EntryImportResult {
    applied
    added
    resighted
    rejectedCount
    rejected {
      line
      where
      input
      message
    }
    suppressed {
      line
      where
      input
      message
    }
    warnings {
      line
      where
      input
      message
    }
    ignoredCount
    ignored {
      line
      where
      input
      message
    }
    held {
      reason
    }
  }
`);
export const ADD_ENTRIES = graphql(`
  mutation AddListEntries($listId: ID!, $input: ListEntriesInput!) {
    addListEntries(listId: $listId, input: $input) {
      ...ImportResult
    }
  }
`);

type Problem = ImportResultFragment['rejected'][number];
type Upload = { name: string; size: number; sent: number; done: boolean };

const FORMATS = ['TEXT', 'CSV', 'STIX'] as const;

/** The format a file's name or type says, as the REST import reads it. */
function formatOfFile(file: File): EntryFormat {
  if (/\.csv$/i.test(file.name) || file.type === 'text/csv') return 'CSV';
  if (/\.json$/i.test(file.name) || /json/.test(file.type)) return 'STIX';
  return 'TEXT';
}

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * A file through the REST import (`POST /api/lists/{id}/entries`), which takes inputs far larger
 * than a GraphQL request, with the upload's progress. XMLHttpRequest, not fetch: only it reports
 * upload progress. Same origin with the session cookie, as the console's other calls.
 */
function uploadEntries(
  listId: string,
  file: File,
  params: { format: EntryFormat; partial: boolean; normalise: boolean },
  onProgress: (sent: number) => void,
): Promise<ImportResultFragment> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    const query = new URLSearchParams({
      format: params.format.toLowerCase(),
      partial: String(params.partial),
      normalise: String(params.normalise),
    });
    xhr.open('POST', `/api/lists/${encodeURIComponent(listId)}/entries?${query}`);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onerror = () => reject(new HubRequestError('network', 'NETWORK'));
    xhr.onload = () => {
      const body = xhr.response as
        | (ImportResultFragment & { error?: undefined })
        | {
            error?: {
              code?: string;
              message?: string;
              fields?: { path: string; message: string }[];
            };
            requestId?: string;
          }
        | null;
      // 200 applied, 422 refused: the same result document either way.
      if ((xhr.status === 200 || xhr.status === 422) && body && 'applied' in body) {
        resolve(body);
        return;
      }
      const err = body && 'error' in body ? body.error : undefined;
      const fields = (err?.fields ?? []).map((f) => `${f.path}: ${f.message}`);
      reject(
        new HubRequestError(
          [err?.message ?? `HTTP ${xhr.status}`, ...fields].join('\n'),
          err?.code,
          (body && 'requestId' in body ? body.requestId : undefined) ??
            xhr.getResponseHeader('x-request-id') ??
            undefined,
        ),
      );
    };
    xhr.send(file);
  });
}

/** Paste (GraphQL) or drop a file (REST, with progress); then what the hub said of each line. */
export function EntryImport({ listId, onAdded }: { listId: string; onAdded: () => void }) {
  const { t } = useTranslation();
  const hub = useHub();
  const [text, setText] = useState('');
  const [format, setFormat] = useState<EntryFormat>('TEXT');
  const [partial, setPartial] = useState(false);
  const [normalise, setNormalise] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<ImportResultFragment | null>(null);
  const [upload, setUpload] = useState<Upload | null>(null);

  async function run(work: () => Promise<ImportResultFragment>) {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const r = await work();
      setResult(r);
      if (r.applied) onAdded();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  function paste(e: FormEvent) {
    e.preventDefault();
    setUpload(null);
    void run(
      async () =>
        (
          await hub.mutate(ADD_ENTRIES, {
            listId,
            input: { text, format, partial, normalise },
          })
        ).addListEntries,
    );
  }

  function drop(files: File[]) {
    const file = files[0];
    if (!file) return;
    setUpload({ name: file.name, size: file.size, sent: 0, done: false });
    void run(async () => {
      const r = await uploadEntries(
        listId,
        file,
        { format: formatOfFile(file), partial, normalise },
        (sent) => setUpload((u) => u && { ...u, sent }),
      );
      setUpload((u) => u && { ...u, sent: u.size, done: true });
      return r;
    });
  }

  const percent = upload?.size ? Math.min(100, Math.round((upload.sent / upload.size) * 100)) : 0;
  return (
    <Card withBorder component="section" aria-labelledby="add-entries-title" id="add-entries">
      <Title order={2} size="h4" id="add-entries-title" mb="sm">
        {t('lists.add.title')}
      </Title>
      <Stack>
        <form onSubmit={paste}>
          <Stack gap="xs">
            <Textarea
              label={t('lists.add.paste')}
              description={t('lists.add.pasteHint')}
              autosize
              minRows={4}
              maxRows={12}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              styles={{ input: { fontFamily: 'monospace' } }}
            />
            <Group align="end">
              <Select
                label={t('lists.add.format')}
                allowDeselect={false}
                value={format}
                onChange={(v) => v && setFormat(v as EntryFormat)}
                data={FORMATS.map((f) => ({ value: f, label: t(`lists.add.formats.${f}`) }))}
                w={220}
              />
              <Button type="submit" loading={busy} disabled={!text.trim()}>
                {t('lists.add.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
        <Checkbox
          label={t('lists.add.partial')}
          description={t('lists.add.partialHint')}
          checked={partial}
          onChange={(e) => setPartial(e.currentTarget.checked)}
        />
        <Checkbox
          label={t('lists.add.normalise')}
          checked={normalise}
          onChange={(e) => setNormalise(e.currentTarget.checked)}
        />
        <Dropzone
          onDrop={drop}
          multiple={false}
          loading={busy && !!upload}
          aria-label={t('lists.add.dropLabel')}
          id="entry-dropzone"
        >
          <Stack gap={2} align="center" py="md" style={{ pointerEvents: 'none' }}>
            <Text>{t('lists.add.drop')}</Text>
            <Text size="sm" c="dimmed">
              {t('lists.add.dropHint')}
            </Text>
          </Stack>
        </Dropzone>
        {upload && (
          <Stack gap={4} id="upload-progress">
            <Text size="sm">{t('lists.add.uploading', { name: upload.name })}</Text>
            <Progress
              value={percent}
              aria-label={t('lists.add.uploading', { name: upload.name })}
              animated={!upload.done}
            />
            <Text size="xs" c="dimmed" role="status">
              {percent === 100 && busy
                ? t('lists.add.processing')
                : t('lists.add.progress', { percent, size: sizeText(upload.size) })}
            </Text>
          </Stack>
        )}
        <ErrorAlert error={error} />
        {result && <ImportOutcome result={result} />}
      </Stack>
    </Card>
  );
}

/** What the hub did with an input: counts, then each line it refused, kept out of feeds, changed. */
export function ImportOutcome({ result }: { result: ImportResultFragment }) {
  const { t } = useTranslation();
  return (
    <Stack id="import-result">
      <Alert color={result.applied ? 'green' : 'red'} role="status" data-testid="import-outcome">
        {result.applied
          ? t('lists.add.applied', { added: result.added, resighted: result.resighted })
          : t('lists.add.refused', { count: result.rejectedCount })}
      </Alert>
      {result.held && (
        <Alert color="yellow" title={t('lists.add.heldTitle')}>
          {t('lists.add.held', { reason: result.held.reason })}
        </Alert>
      )}
      <Problems
        id="rejected-lines"
        title={t('lists.add.rejectedTitle', { count: result.rejectedCount })}
        problems={result.rejected}
        total={result.rejectedCount}
      />
      <Problems
        id="suppressed-entries"
        title={t('lists.add.suppressedTitle', { count: result.suppressed.length })}
        intro={t('lists.add.suppressedIntro')}
        problems={result.suppressed}
        total={result.suppressed.length}
      />
      <Problems
        id="warned-entries"
        title={t('lists.add.warningsTitle', { count: result.warnings.length })}
        problems={result.warnings}
        total={result.warnings.length}
      />
      <Problems
        id="ignored-objects"
        title={t('lists.add.ignoredTitle', { count: result.ignoredCount })}
        problems={result.ignored}
        total={result.ignoredCount}
      />
    </Stack>
  );
}

function Problems({
  id,
  title,
  intro,
  problems,
  total,
}: {
  id: string;
  title: string;
  intro?: string;
  problems: Problem[];
  total: number;
}) {
  const { t } = useTranslation();
  if (!problems.length) return null;
  return (
    <section aria-labelledby={`${id}-title`}>
      <Title order={3} size="h5" id={`${id}-title`} mb={4}>
        {title}
      </Title>
      {intro && (
        <Text size="sm" c="dimmed" mb={4}>
          {intro}
        </Text>
      )}
      <Table id={id} striped verticalSpacing={2} aria-labelledby={`${id}-title`}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('lists.add.colLine')}</Table.Th>
            <Table.Th>{t('lists.add.colWhere')}</Table.Th>
            <Table.Th>{t('lists.add.colValue')}</Table.Th>
            <Table.Th>{t('lists.add.colMessage')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {problems.map((p, i) => (
            <Table.Tr key={`${p.where}-${i}`}>
              <Table.Td>{p.line}</Table.Td>
              <Table.Td>
                <Text size="sm">{p.where}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                  {p.input}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{p.message}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {total > problems.length && (
        <Text size="xs" c="dimmed">
          {t('lists.add.listedOnly', { listed: problems.length })}
        </Text>
      )}
    </section>
  );
}
