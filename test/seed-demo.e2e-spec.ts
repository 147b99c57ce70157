import { DataSource } from 'typeorm';
import { groupingsOf } from '../apps/api/src/disclosures/disclosure-query.js';
import { DisclosureDimension } from '../apps/api/src/disclosures/dto/disclosure-filter.input.js';
import { FiguresService, peopleReferenceQuery, type FigureDimension, type FigureRow, type FiguresFilter } from '../apps/api/src/figures/figures.service.js';
import { ReachIndex, type ReachKey } from '../apps/api/src/figures/reach-index.js';
import { PRIVATE_DONORS } from '../apps/api/src/seed/demo-catalogue.js';
import { demoCharities, planCharity, plantedDuplicates, type DemoOptions } from '../apps/api/src/seed/demo-plan.js';
import { runDemo, type SeededCharity } from '../apps/api/src/seed/demo-runner.js';
import { readXml } from '../apps/api/src/iati/xml-reader.testing.js';
import { demoTarget } from './support/demo-target.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** A small year (5 % of the volume) of the six demo charities: quick, and with every kind of entry. */
const OPTIONS: DemoOptions = { seed: 'seed-e2e', scale: 1, volume: 0.05 };

async function seed(app: TestApp, options = OPTIONS): Promise<SeededCharity[]> {
  return runDemo(options, demoCharities(options), demoTarget(app), { concurrency: 3 });
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
 * donors' random references, the time of the entries the service dates itself (a
 * project's opening, a reversal, a progress report), and the pseudonyms and commitments (keyed with
 * the installation's own key, salted at random), which are numbered in order of
 * first appearance instead: the same people in the same places.
 */
async function canonicalEntries(app: TestApp): Promise<unknown[]> {
  const rows = await app.db.query<Row>(
    `SELECT c.credit_code, e.sequence, e.type, convert_from(e.canonical_json, 'UTF8') AS canonical_json
       FROM ledger_entry e JOIN charity c ON c.id = e.charity_id ORDER BY c.credit_code, e.sequence`,
  );
  const numbering = new Map<string, string>();
  const number = (value: string, prefix: string) => {
    if (!numbering.has(value)) numbering.set(value, `${prefix}${numbering.size + 1}`);
    return numbering.get(value)!;
  };
  return rows.map((row) => {
    const text = row.canonical_json
      .replace(/dnr_[A-Za-z0-9_-]{22}/g, 'dnr_…')
      .replace(/bnf(?:_[0-9a-f]{16}){4}/g, (pseudonym) => number(pseudonym, 'person-'))
      .replace(/"commitment":"([0-9a-f]{64})"/g, (_whole, commitment: string) => `"commitment":"${number(commitment, 'commitment-')}"`);
    const entry = JSON.parse(text) as Record<string, unknown>;
    const selfDated = row.type === 'PROJECT_OPENED' || row.type === 'ENTRY_REVERSED' || row.type === 'PROGRESS_REPORT_PUBLISHED';
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

  it('writes the same entries from the same seed (all but what the service chooses itself: ids, keys, times of recording, hashes, keyed pseudonyms and salted commitments)', async () => {
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

  it('plants exactly the announced cross-charity duplicates, and the regulators’ duplicate-aid report finds them', async () => {
    const fund = seeded.find((charity) => charity.spec.label === 'c1')!;
    const planted = plantedDuplicates(OPTIONS).map((duplicate) => fund.people.get(duplicate.personId)!.pseudonym).sort();
    expect(planted).toHaveLength(5);
    const rows = await first.db.query<{ beneficiary: string }>(
      `SELECT e.payload->>'beneficiary' AS beneficiary
         FROM ledger_entry e
         JOIN book_project p ON p.charity_id = e.charity_id AND p.project_id = e.payload->>'projectId'
         LEFT JOIN book_reversal r ON r.charity_id = e.charity_id AND r.reversed_sequence = e.sequence
        WHERE e.type = 'DISBURSEMENT_RECORDED' AND p.category = 'MEDICAL_AID' AND r.reversal_sequence IS NULL
          AND e.occurred_at >= '2024-01-01T00:00:00+08:00' AND e.occurred_at < '2025-01-01T00:00:00+08:00'
        GROUP BY 1 HAVING count(DISTINCT e.charity_id) > 1`,
    );
    expect(rows.map((row) => row.beneficiary).sort()).toEqual(planted);

    const issued = await first.gql<{ issueApiKey: { apiKey: string } }>(
      'mutation Issue($input: IssueApiKeyInput!) { issueApiKey(input: $input) { apiKey } }',
      { input: { role: 'REGULATOR', label: 'civil affairs' } },
      first.adminKey,
    );
    const report = await first.gql<{ duplicateAidReport: { people: Array<{ pseudonym: string; charities: Array<{ charityId: string }> }> } }>(
      '{ duplicateAidReport(period: { from: "2024-01-01", to: "2024-12-31" }, category: MEDICAL_AID) { people { pseudonym charities { charityId } } } }',
      {},
      issued.data!.issueApiKey.apiKey,
    );
    const people = report.data!.duplicateAidReport.people;
    expect(people.map((person) => person.pseudonym).sort()).toEqual(planted);
    const c5 = seeded.find((charity) => charity.spec.label === 'c5')!;
    for (const person of people) expect(person.charities.map((charity) => charity.charityId).sort()).toEqual([fund.id, c5.id].sort());
  });

  it('keeps the people’s personal data off the public ledger and out of the IATI export', async () => {
    // the names and ID numbers the demo enrolled (a 2-character name could occur in other text by chance; the demo's do not)
    const secrets = demoCharities(OPTIONS).flatMap((spec) =>
      planCharity(OPTIONS, spec)
        .steps.filter((step) => step.operation === 'enrollBeneficiary')
        .flatMap((step) => step.inputs.flatMap((input) => [input.name as string, (input.idDocument as { number: string }).number])),
    );
    expect(secrets.length).toBeGreaterThan(100);
    for (const charity of seeded) {
      const response = await first.http().get(`/iati/${charity.id}.xml`);
      expect(response.status).toBe(200);
      const root = readXml(response.text);
      expect(root.children.length).toBeGreaterThanOrEqual(2);
      expect(response.text).not.toMatch(/bnf_|dnr_/);
      for (const name of PRIVATE_DONORS) expect(response.text).not.toContain(name);
      let ledger = '';
      type Page = { ledgerEntries: { edges: Array<{ node: unknown }>; pageInfo: { hasNextPage: boolean; endCursor: string | null } } };
      for (let after: string | null = null, more = true; more; ) {
        const page: Page = (
          await first.gql<Page>(
            'query Page($charityId: ID!, $after: String) { ledgerEntries(charityId: $charityId, first: 500, after: $after) { edges { node { payload canonicalJson } } pageInfo { hasNextPage endCursor } } }',
            { charityId: charity.id, after },
          )
        ).data!;
        ledger += JSON.stringify(page.ledgerEntries.edges);
        more = page.ledgerEntries.pageInfo.hasNextPage;
        after = page.ledgerEntries.pageInfo.endCursor;
      }
      const found = secrets.filter((secret) => response.text.includes(secret) || ledger.includes(secret));
      expect(found).toEqual([]);
    }
  });

  it('counts people in memory exactly as the SQL reference does, caught up entry by entry and loaded afresh from the rollup; money of whole and part months as the raw facts sum', async () => {
    const figures = first.service.app.get(FiguresService);
    // `first`'s index was loaded at start, on an empty database: it caught up with every fact as the seed wrote it
    const fresh = new ReachIndex(first.service.app.get(DataSource));
    await fresh.sync();
    expect(fresh.size().people).toBeGreaterThan(150);
    const [c1, c2, c5] = ['c1', 'c2', 'c5'].map((label) => seeded.find((charity) => charity.spec.label === label)!);
    const YEAR = { from: '2024-01-01', to: '2025-01-01' };
    const filters: FiguresFilter[] = [
      YEAR,
      { from: '2024-02-10', to: '2024-05-20' },
      { from: '2024-03-01', to: '2024-03-02' },
      { ...YEAR, charityIds: [c1.id, c5.id] },
      { ...YEAR, projectCategories: ['MEDICAL_AID', 'DISABILITY_SUPPORT'] },
      { ...YEAR, districtCode: 'SZ-FUTIAN' },
      { from: '2024-04-15', to: '2024-11-03', charityIds: [c2.id], projectId: 'P-LUNYI' },
    ];
    const tables: FigureDimension[][] = [[], ['MONTH'], ['QUARTER', 'YEAR'], ['CHARITY'], ['PROJECT'], ['PROJECT_CATEGORY', 'QUARTER'], ['MONTH', 'DISTRICT'], ['STREET'], ['CHARITY', 'STREET', 'MONTH']];
    const counted = (rows: FigureRow[]) =>
      rows
        .filter((row) => row.beneficiariesReached > 0)
        .map((row) => JSON.stringify([row.month, row.quarter, row.year, row.charityId, row.projectId, row.projectCategory, row.districtCode, row.streetCode, row.beneficiariesReached]))
        .sort();
    let people = 0;
    for (const filter of filters) {
      for (const table of tables) {
        const groupings = groupingsOf(table as DisclosureDimension[]) as FigureDimension[][];
        const reference = peopleReferenceQuery(filter, groupings);
        const referenceRows = await first.db.query<Record<string, string>>(reference.sql, reference.params);
        const expected = reference.requested.map((mask) => {
          const set = reference.sets[reference.masks.indexOf(mask)];
          const rows = referenceRows
            .filter((row) => Number(row.g) === mask)
            .map((row) => ({ beneficiariesReached: Number(row.beneficiaries_reached), ...Object.fromEntries(set.map((index) => [reference.fields[index], row[`k${index}`] === '' ? null : row[`k${index}`]])) }) as FigureRow);
          return counted(rows);
        });
        const answered = await figures.figureSets(filter, groupings);
        expect(answered.map(counted)).toEqual(expected);
        const loaded = fresh.count(reference.filter, reference.sets.map((set) => set.map((index) => reference.fields[index] as ReachKey)));
        expect(loaded.map((counts) => [...counts.values()].reduce((sum, count) => sum + count, 0))).toEqual(
          reference.masks.map((mask) => referenceRows.filter((row) => Number(row.g) === mask).reduce((sum, row) => sum + Number(row.beneficiaries_reached), 0)),
        );
        people += answered[0].reduce((sum, row) => sum + row.beneficiariesReached, 0);
      }
    }
    // not a comparison of empty answers
    expect(people).toBeGreaterThan(1_000);

    // money: the month rollup for whole months, the day rollup for the days around them, as the facts sum
    for (const filter of filters.slice(0, 3)) {
      const rows = await figures.figures(filter, ['MONTH']);
      const raw = await first.db.query<{ month: string; cash: string; spent: string }>(
        `SELECT to_char(occurred_on, 'YYYY-MM') AS month, sum(amount) FILTER (WHERE measure = 'RECEIVED_CASH') AS cash, sum(amount) FILTER (WHERE measure = 'SPENT') AS spent
           FROM ledger_fact WHERE occurred_on >= $1 AND occurred_on < $2 GROUP BY 1 ORDER BY 1`,
        [filter.from, filter.to],
      );
      expect(rows.map((row) => [row.month, row.receivedCash, row.spentTotal])).toEqual(raw.map((row) => [row.month, BigInt(row.cash ?? 0), BigInt(row.spent ?? 0)]));
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
