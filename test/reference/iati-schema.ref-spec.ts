import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoCharities, type DemoOptions } from '../../apps/api/src/seed/demo-plan.js';
import { runDemo, type SeededCharity } from '../../apps/api/src/seed/demo-runner.js';
import { demoTarget } from '../support/demo-target.js';
import { registerCharity, startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The IATI export of the demo data against the official IATI 2.03 schema, read from
 * the shared reference data that CI provides (CHARITY_LEDGER_SHARED_DIR/iati); the
 * schema files are not part of the repository. Validation is `xmllint --schema`
 * (Debian package libxml2-utils; .ci/run installs it).
 */
const SCHEMA = join(process.env.CHARITY_LEDGER_SHARED_DIR ?? '', 'iati', 'iati-activities-schema.xsd');
const OPTIONS: DemoOptions = { seed: 'iati-reference', scale: 1, volume: 0.05 };

function xmllint(file: string): { status: number | null; output: string } {
  const result = spawnSync('xmllint', ['--noout', '--schema', SCHEMA, file], { encoding: 'utf8' });
  if (result.error) {
    throw new Error(`xmllint could not run (${result.error.message}): install the Debian package libxml2-utils (apt-get install libxml2-utils)`);
  }
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('IATI export against the official IATI 2.03 schema', () => {
  let app: TestApp;
  let directory: string;
  let seeded: SeededCharity[];
  let empty: { id: string };

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'charity-ledger-iati-'));
    app = await startTestApp();
    seeded = await runDemo(OPTIONS, demoCharities(OPTIONS), demoTarget(app), { concurrency: 3 });
    empty = await registerCharity(app, '深圳市尚无记录慈善会（演示）');
  }, 600_000);

  afterAll(async () => {
    await app?.close();
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  async function exportOf(charityId: string): Promise<string> {
    const response = await app.http().get(`/iati/${charityId}.xml`);
    expect(response.status).toBe(200);
    return response.text;
  }

  it('finds the schema files in the shared reference data', () => {
    for (const file of ['iati-activities-schema.xsd', 'iati-common.xsd', 'xml.xsd']) expect(existsSync(join(SCHEMA, '..', file))).toBe(true);
  });

  it('validates the export of every demo charity, and of a charity with no entries yet', async () => {
    for (const charityId of [...seeded.map((charity) => charity.id), empty.id]) {
      const file = join(directory, `${charityId}.xml`);
      await writeFile(file, await exportOf(charityId));
      const result = xmllint(file);
      expect({ charityId, ...result }).toEqual({ charityId, status: 0, output: `${file} validates\n` });
    }
  });

  it('would catch an invalid document (the check is not vacuous)', async () => {
    const file = join(directory, 'broken.xml');
    await writeFile(file, (await exportOf(seeded[0].id)).replace(/<activity-status code="\d"\/>/, ''));
    const result = xmllint(file);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain('activity-status');
  });
});
