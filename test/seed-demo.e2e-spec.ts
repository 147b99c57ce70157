import { PRIVATE_DONORS } from '../apps/api/src/seed/demo-catalogue.js';
import { demoCharities, planCharity, plantedDuplicates, type DemoOptions } from '../apps/api/src/seed/demo-plan.js';
import { runDemo, serviceTarget, type SeededCharity } from '../apps/api/src/seed/demo-runner.js';
import { readXml } from '../apps/api/src/iati/xml-reader.testing.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** A small year (5 % of the volume) of the six demo charities: quick, and with every kind of entry. */
const OPTIONS: DemoOptions = { seed: 'seed-e2e', scale: 1, volume: 0.05 };

async function seed(app: TestApp, options = OPTIONS): Promise<SeededCharity[]> {
  return runDemo(options, demoCharities(options), serviceTarget(app.service.app, app.gql), { concurrency: 3 });
}

interface Row {
  credit_code: string;
  sequence: string;
  type: string;
  canonical_json: string;
}

/**
 * Every entry as the ledger hashed it, less what the service chooses itself: the
 * charity's id, the key that wrote it, when it was recorded, the hashes, anonymous
 * donors' random references, and the time of the entries the service dates itself
 * (a project's opening, a reversal).
 */
async function canonicalEntries(app: TestApp): Promise<unknown[]> {
  const rows = await app.db.query<Row>(
    `SELECT c.credit_code, e.sequence, e.type, convert_from(e.canonical_json, 'UTF8') AS canonical_json
       FROM ledger_entry e JOIN charity c ON c.id = e.charity_id ORDER BY c.credit_code, e.sequence`,
  );
  return rows.map((row) => {
    const entry = JSON.parse(row.canonical_json.replace(/dnr_[A-Za-z0-9_-]{22}/g, 'dnr_…')) as Record<string, unknown>;
    const selfDated = row.type === 'PROJECT_OPENED' || row.type === 'ENTRY_REVERSED';
    return [row.credit_code, Number(row.sequence), row.type, selfDated ? null : entry.occurredAt, entry.payload];
  });
}

describe('npm run seed:demo', () => {
  let first: TestApp;
  let second: TestApp;
  let seeded: SeededCharity[];

  beforeAll(async () => {
    first = await startTestApp();
    second = await startTestApp();
    seeded = await seed(first);
    await seed(second);
  }, 600_000);

  afterAll(async () => {
    await first?.close();
    await second?.close();
  });

  it('writes the same entries from the same seed (all but what the service chooses itself: ids, keys, times of recording, hashes)', async () => {
    const entries = await canonicalEntries(first);
    const planned = demoCharities(OPTIONS).reduce((sum, spec) => sum + planCharity(OPTIONS, spec).facts.entries, 0);
    expect(entries).toHaveLength(planned);
    expect(await canonicalEntries(second)).toEqual(entries);
  });

  it('goes through the real append path: every chain verifies and the books hold what the plan says', async () => {
    for (const charity of seeded) {
      const { data } = await first.gql<{ verifyChain: { valid: boolean; length: number } }>(`{ verifyChain(charityId: "${charity.id}") { valid length } }`);
      expect(data!.verifyChain).toEqual({ valid: true, length: charity.facts.entries });
    }
    const grants = await first.db.query<{ charity_id: string; project_id: string; count: string; fen: string }>(
      `SELECT e.charity_id, e.payload->>'projectId' AS project_id, count(*) AS count, sum((e.payload->'cash'->>'minorUnits')::bigint) AS fen
         FROM ledger_entry e LEFT JOIN book_reversal r ON r.charity_id = e.charity_id AND r.reversed_sequence = e.sequence
        WHERE e.type = 'DISBURSEMENT_RECORDED' AND e.payload ? 'cash' AND r.reversal_sequence IS NULL
        GROUP BY 1, 2`,
    );
    for (const charity of seeded) {
      const found = Object.fromEntries(grants.filter((row) => row.charity_id === charity.id).map((row) => [row.project_id, { count: Number(row.count), minorUnits: Number(row.fen) }]));
      expect(found).toEqual(charity.facts.grants);
    }
    const balance = await first.gql<{ charityBalance: { refunded: { amount: string } } }>(`{ charityBalance(charityId: "${seeded[0].id}") { refunded { amount } } }`);
    expect(Math.round(Number(balance.data!.charityBalance.refunded.amount) * 100)).toBe(seeded[0].facts.refundsMinor);
  });

  it('plants exactly the announced cross-charity duplicates: one pseudonym, two charities, one category, 2024', async () => {
    const rows = await first.db.query<{ beneficiary: string }>(
      `SELECT e.payload->>'beneficiary' AS beneficiary
         FROM ledger_entry e
         JOIN book_project p ON p.charity_id = e.charity_id AND p.project_id = e.payload->>'projectId'
         LEFT JOIN book_reversal r ON r.charity_id = e.charity_id AND r.reversed_sequence = e.sequence
        WHERE e.type = 'DISBURSEMENT_RECORDED' AND p.category = 'MEDICAL_AID' AND r.reversal_sequence IS NULL
          AND e.occurred_at >= '2024-01-01T00:00:00+08:00' AND e.occurred_at < '2025-01-01T00:00:00+08:00'
        GROUP BY 1 HAVING count(DISTINCT e.charity_id) > 1`,
    );
    expect(rows.map((row) => row.beneficiary).sort()).toEqual(plantedDuplicates(OPTIONS).map((duplicate) => duplicate.pseudonym).sort());
  });

  it('publishes each charity as IATI XML without beneficiaries or private donors', async () => {
    for (const charity of seeded) {
      const response = await first.http().get(`/iati/${charity.id}.xml`);
      expect(response.status).toBe(200);
      const root = readXml(response.text);
      expect(root.children.length).toBeGreaterThanOrEqual(2);
      expect(response.text).not.toMatch(/bnf_|dnr_/);
      for (const name of PRIVATE_DONORS) expect(response.text).not.toContain(name);
    }
  });

  it('goes on where it stopped when run again: nothing is written twice', async () => {
    const before = await first.db.query<{ n: string }>('SELECT count(*) AS n FROM ledger_entry');
    const again = await seed(first);
    expect(again.every((charity) => charity.resumed)).toBe(true);
    expect(again.map((charity) => charity.id)).toEqual(seeded.map((charity) => charity.id));
    expect(await first.db.query<{ n: string }>('SELECT count(*) AS n FROM ledger_entry')).toEqual(before);
  }, 600_000);
});
