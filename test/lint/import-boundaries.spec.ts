import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// The layering of ADR 0017 is enforced by eslint.config.mjs (eslint-plugin-boundaries); these
// cases lint small sources as if they sat in a library, so a rule that stops firing fails here.
// ESLint's API loads its ESM config with import(), which jest's CommonJS sandbox refuses: the
// API runs in a plain Node process instead.
const ROOT = join(__dirname, '..', '..');
const LINT = `
  import { ESLint } from 'eslint';
  const { filePath, code } = JSON.parse(process.argv[1]);
  const [result] = await new ESLint({ cwd: process.cwd() }).lintText(code, { filePath });
  process.stdout.write(JSON.stringify(result.messages.map((m) => m.ruleId + ': ' + m.message)));
`;

async function problems(filePath: string, code: string): Promise<string[]> {
  const run = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', LINT, JSON.stringify({ filePath: join(ROOT, filePath), code })],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
}

describe('import boundaries', () => {
  jest.setTimeout(120_000);

  it('refuses an upward import: indicators may not use reports (siblings)', async () => {
    const found = await problems(
      'libs/indicators/src/lists/upward.fixture.ts',
      "import { ReportService } from '@renkei/reports';\nexport const x = ReportService;\n",
    );
    expect(found).toEqual([
      expect.stringMatching(/^boundaries\/dependencies: imports point one way/),
    ]);
  });

  it('refuses sharing importing an output layer', async () => {
    const found = await problems(
      'libs/sharing/src/upward.fixture.ts',
      "import { PushService } from '@renkei/push';\nexport const x = PushService;\n",
    );
    expect(found).toEqual([expect.stringMatching(/^boundaries\/dependencies:/)]);
  });

  it("refuses reaching into another library's internals", async () => {
    const found = await problems(
      'libs/reports/src/reports/internals.fixture.ts',
      "import { ScopedDatabase } from '../../../sharing/src/scoped-database';\nexport const x = ScopedDatabase;\n",
    );
    expect(found).toEqual([expect.stringMatching(/^boundaries\/entry-point: another library/)]);
  });

  it('accepts downward imports through the index', async () => {
    const found = await problems(
      'libs/indicators/src/lists/downward.fixture.ts',
      "import { ScopedDatabase } from '@renkei/sharing';\nimport { HUB_CONFIG } from '@renkei/platform';\nexport const x = [ScopedDatabase, HUB_CONFIG];\n",
    );
    expect(found).toEqual([]);
  });
});
