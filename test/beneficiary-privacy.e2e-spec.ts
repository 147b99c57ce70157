import { entryLeafHash, verifyConsistency, verifyInclusion } from '@charity-ledger/ledger-core';
import { createHash, randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../apps/api/src/config/app-config.js';
import { enroll, enrollInput, ENROLL, newPerson, regulatorKey, type Enrollment, type Person } from './support/beneficiary-fixtures.js';
import { codeOf, donationInput, RECORD_DONATION, registerCharity } from './support/test-app.js';
import { publishCheckpoint, startTransparencyApp, type TransparencyApp } from './support/transparency-app.js';

const RECORD = `
  query Record($pseudonym: String!, $reason: String!, $charityId: ID) {
    beneficiaryRecord(pseudonym: $pseudonym, reason: $reason, charityId: $charityId) {
      enrollmentId charityId pseudonym commitment commitmentSalt name idDocument { type number } dateOfBirth
      contact { phone address guardian } categories { kind disabilityLevel description } region { code district street } enrolledAt
    }
  }`;
const ERASE = `
  mutation Erase($pseudonym: String!, $reason: String!, $charityId: ID) {
    eraseBeneficiary(pseudonym: $pseudonym, reason: $reason, charityId: $charityId) { enrollmentId charityId pseudonym erasedAt }
  }`;
const ACCESS_LOG = `
  query Log($filter: BeneficiaryAccessLogFilter, $first: Int, $after: String) {
    beneficiaryAccessLog(filter: $filter, first: $first, after: $after) {
      edges { node { id at actorKeyId actorRole actorCharityId action outcome charityId pseudonym enrollmentId reason } }
      pageInfo { hasNextPage endCursor }
    }
  }`;
const OPEN_PROJECT = `mutation Open($input: OpenProjectInput!) { openProject(input: $input) { sequence } }`;
const SELECT = `mutation Select($input: SelectBeneficiariesInput!) { selectBeneficiaries(input: $input) { sequence position hash payload } }`;
const DISBURSE = `mutation Disburse($input: RecordDisbursementInput!) { recordDisbursement(input: $input) { sequence } }`;

interface LogEntry {
  actorKeyId: string;
  actorRole: string;
  actorCharityId: string | null;
  action: string;
  outcome: string;
  charityId: string;
  pseudonym: string;
  enrollmentId: string | null;
  reason: string | null;
}

let keyCounter = 0;
const idempotencyKey = () => `k-${++keyCounter}-${randomBytes(3).toString('hex')}`;
const sha = (character: string) => character.repeat(64);

describe('beneficiary personal data off the ledger', () => {
  let app: TransparencyApp;
  let charityA: { id: string; apiKey: string };
  let charityB: { id: string; apiKey: string };
  let regulator: string;
  // enrolled at A and B
  const shared: Person = { ...newPerson('李小梅', '1949-12-31'), idNumber: '11010519491231002X' };
  // enrolled at A only
  const own: Person = newPerson('王建国', '1962-07-08');
  let sharedAtA: Enrollment;
  let sharedAtB: Enrollment;
  let ownAtA: Enrollment;
  let selection: { sequence: number; position: number; hash: string };

  beforeAll(async () => {
    // no platform keys given: the service generates them into DATA_DIR, as on a fresh installation
    app = await startTransparencyApp({ settings: { beneficiaryPseudonymKey: undefined, beneficiaryKeyEncryptionKey: undefined } });
    charityA = await registerCharity(app, '深圳市阳光助残慈善基金会');
    charityB = await registerCharity(app, '深圳市关爱老人服务中心');
    regulator = await regulatorKey(app);
    // typed with a lower-case x and spaces at A, as printed at B: the same person
    sharedAtA = await enroll(app, charityA, { ...shared, idNumber: ' 110105 19491231 002x ' });
    sharedAtB = await enroll(app, charityB, shared);
    ownAtA = await enroll(app, charityA, own, { categories: [{ kind: 'SERIOUS_ILLNESS' }], contact: { phone: own.phone, address: own.address, guardian: '王小明' } });

    await app.gql(
      OPEN_PROJECT,
      {
        input: {
          charityId: charityA.id,
          idempotencyKey: idempotencyKey(),
          projectId: 'P-CARE',
          title: '困难残疾人生活补助',
          purpose: 'Monthly support for residents with disabilities on minimum living support',
          category: 'DISABILITY_SUPPORT',
          region: { code: 'SZ-FUTIAN' },
          startDate: '2026-01-01',
          endDate: '2026-12-31',
          budget: '100000.00',
          currency: 'CNY',
          publicFundraising: true,
        },
      },
      charityA.apiKey,
    );
    const gift = await app.gql(RECORD_DONATION, { input: donationInput(charityA.id, { amount: '5000.00', donor: { name: '陈善人', publishName: false } }) }, charityA.apiKey);
    expect(gift.errors).toBeUndefined();
    const selected = await app.gql(
      SELECT,
      {
        input: {
          charityId: charityA.id,
          idempotencyKey: idempotencyKey(),
          projectId: 'P-CARE',
          criteria: { text: 'Disability certificate and minimum living support', version: '2026-1' },
          decisionBody: 'Project committee',
          decidedOn: '2026-02-01',
          beneficiaries: [sharedAtA, ownAtA].map((enrollment) => ({ pseudonym: enrollment.pseudonym, commitment: enrollment.commitment, region: { code: 'SZ-FUTIAN-YUANLING' } })),
        },
      },
      charityA.apiKey,
    );
    expect(selected.errors).toBeUndefined();
    selection = selected.data!.selectBeneficiaries;
    for (const enrollment of [sharedAtA, ownAtA]) {
      const disbursed = await app.gql(
        DISBURSE,
        {
          input: {
            charityId: charityA.id,
            idempotencyKey: idempotencyKey(),
            projectId: 'P-CARE',
            beneficiary: enrollment.pseudonym,
            cash: '800.00',
            currency: 'CNY',
            method: 'BANK_TRANSFER',
            disbursedAt: new Date(Date.now() - 60_000).toISOString(),
            deliveryEvidenceSha256: sha('e'),
          },
        },
        charityA.apiKey,
      );
      expect(disbursed.errors).toBeUndefined();
    }
  });

  afterAll(async () => {
    await app.close();
  });

  const read = (key: string | undefined, pseudonym: string, reason: string, charityId?: string) =>
    app.gql(RECORD, { pseudonym, reason, ...(charityId ? { charityId } : {}) }, key);

  async function log(key: string, filter: Record<string, unknown>): Promise<LogEntry[]> {
    const response = await app.gql(ACCESS_LOG, { filter, first: 500 }, key);
    if (!response.data) throw new Error(JSON.stringify(response.errors));
    return response.data.beneficiaryAccessLog.edges.map((edge: { node: LogEntry }) => edge.node);
  }

  const count = async (table: string) => Number((await app.db.query(`SELECT count(*) AS n FROM ${table}`))[0].n);

  describe('enrollment', () => {
    it('returns a pseudonym and commitment that selectBeneficiaries took, and the same pseudonym for the same person at another charity', () => {
      expect(sharedAtA.pseudonym).toMatch(/^bnf(_[0-9a-f]{16}){4}$/);
      expect(sharedAtA.commitment).toMatch(/^[0-9a-f]{64}$/);
      expect(sharedAtB.pseudonym).toBe(sharedAtA.pseudonym);
      // a commitment of its own at each charity (its own salt)
      expect(sharedAtB.commitment).not.toBe(sharedAtA.commitment);
      expect(ownAtA.pseudonym).not.toBe(sharedAtA.pseudonym);
      expect(selection.sequence).toBeGreaterThan(0);
    });

    it('puts only the pseudonym and the commitment on the ledger', async () => {
      const { data } = await app.gql(`{ ledgerEntry(charityId: "${charityA.id}", sequence: ${selection.sequence}) { payload } }`);
      expect(data!.ledgerEntry.payload.beneficiaries).toEqual([
        { pseudonym: sharedAtA.pseudonym, commitment: sharedAtA.commitment, region: { code: 'SZ-FUTIAN-YUANLING', district: 'SZ-FUTIAN', street: 'SZ-FUTIAN-YUANLING' } },
        { pseudonym: ownAtA.pseudonym, commitment: ownAtA.commitment, region: { code: 'SZ-FUTIAN-YUANLING', district: 'SZ-FUTIAN', street: 'SZ-FUTIAN-YUANLING' } },
      ]);
    });

    it('returns the existing enrollment for the same details, refuses other details with CONFLICT, and writes no new enrollment', async () => {
      const enrollments = await count('beneficiary_enrollment');
      const again = await enroll(app, charityA, own, { categories: [{ kind: 'SERIOUS_ILLNESS' }], contact: { phone: own.phone, address: ` ${own.address} `, guardian: '王小明' } });
      expect(again).toMatchObject({ enrollmentId: ownAtA.enrollmentId, pseudonym: ownAtA.pseudonym, commitment: ownAtA.commitment, alreadyEnrolled: true });

      const changed = await app.gql(ENROLL, { input: enrollInput(charityA.id, own, { categories: [{ kind: 'ORPHAN' }] }) }, charityA.apiKey);
      expect(codeOf(changed)).toBe('CONFLICT');
      expect(changed.errors![0].message).toContain(ownAtA.enrollmentId);
      expect(changed.errors![0].message).not.toContain(own.idNumber);
      expect(await count('beneficiary_enrollment')).toBe(enrollments);
    });

    it('refuses a resident ID with a wrong check digit, naming the field without repeating the number, and stores nothing', async () => {
      const enrollments = await count('beneficiary_enrollment');
      const wrong = own.idNumber.slice(0, 17) + (own.idNumber[17] === '0' ? '1' : '0');
      const response = await app.gql(ENROLL, { input: enrollInput(charityA.id, { ...own, idNumber: wrong }) }, charityA.apiKey);
      expect(codeOf(response)).toBe('BAD_USER_INPUT');
      expect(response.errors![0].extensions!.field).toBe('input.idDocument.number');
      expect(response.errors![0].message).toContain('check character');
      expect(response.errors![0].message).not.toContain(wrong.slice(0, 6));
      expect(await count('beneficiary_enrollment')).toBe(enrollments);
    });

    it('lets a CHARITY key enroll only for its own charity, and nobody else enroll at all', async () => {
      const enrollments = await count('beneficiary_enrollment');
      const person = newPerson('赵六');
      expect(codeOf(await app.gql(ENROLL, { input: enrollInput(charityA.id, person) }, charityB.apiKey))).toBe('FORBIDDEN');
      expect(codeOf(await app.gql(ENROLL, { input: enrollInput(charityA.id, person) }, regulator))).toBe('FORBIDDEN');
      expect(codeOf(await app.gql(ENROLL, { input: enrollInput(charityA.id, person) }))).toBe('UNAUTHENTICATED');
      expect(await count('beneficiary_enrollment')).toBe(enrollments);
    });

    it('generates its platform keys into DATA_DIR, readable by the owner only, and records their fingerprints', async () => {
      for (const file of ['beneficiary-pseudonym-key', 'beneficiary-key-encryption-key']) {
        expect((await stat(path.join(app.dataDir, file))).mode & 0o777).toBe(0o600);
      }
      const keys = await app.db.query<{ purpose: string; key_id: string }>('SELECT purpose, key_id FROM beneficiary_platform_key ORDER BY purpose');
      expect(keys.map((key) => key.purpose)).toEqual(['KEY_ENCRYPTION', 'PSEUDONYM']);
    });
  });

  it('stores no name, ID number or contact in plaintext anywhere in the database, down to the table files', async () => {
    const secrets = [shared.name, own.name, shared.idNumber, own.idNumber, '110105 19491231', shared.phone, own.phone, own.address, '王小明'];
    // every row of every table, as text
    const tables = await app.db.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`);
    expect(tables.map((table) => table.table_name)).toEqual(expect.arrayContaining(['beneficiary_enrollment', 'beneficiary_key', 'beneficiary_access_log', 'ledger_entry']));
    for (const { table_name: table } of tables) {
      const [{ text }] = await app.db.query<{ text: string | null }>(`SELECT string_agg(t::text, '\n') AS text FROM "${table}" t`);
      for (const secret of secrets) expect({ table, found: (text ?? '').includes(secret) }).toEqual({ table, found: false });
    }
    // the raw bytes of the personal-data tables (and their TOAST tables) as PostgreSQL wrote them to disk
    await app.db.query('CHECKPOINT');
    const files = await app.db.query<{ relname: string; file: string }>(
      `SELECT c.relname, pg_relation_filepath(c.oid) AS file FROM pg_class c
        WHERE c.relname IN ('beneficiary_enrollment', 'beneficiary_key', 'beneficiary_access_log')
        UNION ALL
       SELECT c.relname || ' (TOAST)', pg_relation_filepath(c.reltoastrelid) FROM pg_class c
        WHERE c.relname IN ('beneficiary_enrollment', 'beneficiary_key', 'beneficiary_access_log') AND c.reltoastrelid <> 0`,
    );
    let scanned = 0;
    for (const { relname, file } of files) {
      const [{ bytes }] = await app.db.query<{ bytes: Buffer }>('SELECT pg_read_binary_file($1) AS bytes', [file]);
      scanned += bytes.length;
      for (const secret of secrets) expect({ relname, found: bytes.includes(Buffer.from(secret, 'utf8')) }).toEqual({ relname, found: false });
    }
    expect(scanned).toBeGreaterThan(0);
    // the same scan finds what is stored in the clear: the unpublished donor name kept for the receipt (donor_identity)
    const [{ file: donors }] = await app.db.query<{ file: string }>(`SELECT pg_relation_filepath('donor_identity') AS file`);
    const [{ bytes: donorBytes }] = await app.db.query<{ bytes: Buffer }>('SELECT pg_read_binary_file($1) AS bytes', [donors]);
    expect(donorBytes.includes(Buffer.from('陈善人', 'utf8'))).toBe(true);
    // the pseudonyms and commitments are there, in the clear: they are on the public ledger anyway
    const [row] = await app.db.query<{ pseudonym: string; sealed: Buffer }>('SELECT pseudonym, sealed_record AS sealed FROM beneficiary_enrollment WHERE id = $1', [sharedAtA.enrollmentId]);
    expect(row.pseudonym).toBe(sharedAtA.pseudonym);
    expect(row.sealed[0]).toBe(0x01);
  });

  describe('reading personal data', () => {
    it('gives the enrolling charity its own people’s data, and a regulator any charity’s, and logs each read with its reason', async () => {
      const ownRead = await read(charityA.apiKey, ownAtA.pseudonym, 'annual review of the care plan');
      expect(ownRead.errors).toBeUndefined();
      const record = ownRead.data!.beneficiaryRecord;
      expect(record).toMatchObject({
        enrollmentId: ownAtA.enrollmentId,
        charityId: charityA.id,
        pseudonym: ownAtA.pseudonym,
        commitment: ownAtA.commitment,
        name: own.name,
        idDocument: { type: 'RESIDENT_ID', number: own.idNumber },
        dateOfBirth: own.dateOfBirth,
        contact: { phone: own.phone, address: own.address, guardian: '王小明' },
        categories: [{ kind: 'SERIOUS_ILLNESS', disabilityLevel: null, description: null }],
        region: { code: 'SZ-FUTIAN-YUANLING', district: 'SZ-FUTIAN', street: 'SZ-FUTIAN-YUANLING' },
      });
      // the commitment on the ledger opens to the ID number with the salt
      const opened = createHash('sha256').update(Buffer.from(record.commitmentSalt, 'hex')).update(own.idNumber).digest('hex');
      expect(opened).toBe(ownAtA.commitment);

      const regulatorRead = await read(regulator, ownAtA.pseudonym, 'inspection 2026-07', charityA.id);
      expect(regulatorRead.data!.beneficiaryRecord).toEqual(record);

      // the same person at two charities: each charity reads its own enrollment, normalized the same way
      const atB = (await read(charityB.apiKey, sharedAtB.pseudonym, 'home visit')).data!.beneficiaryRecord;
      expect(atB).toMatchObject({ enrollmentId: sharedAtB.enrollmentId, charityId: charityB.id, idDocument: { number: shared.idNumber }, name: shared.name });
      // categories in the enum's order, whatever order they were given in
      expect(atB.categories).toEqual([
        { kind: 'MINIMUM_LIVING_SUPPORT', disabilityLevel: null, description: null },
        { kind: 'DISABILITY', disabilityLevel: 2, description: null },
      ]);

      const entries = await log(regulator, { action: 'READ', outcome: 'GRANTED' });
      expect(entries.slice(0, 3)).toEqual([
        expect.objectContaining({ actorRole: 'CHARITY', actorCharityId: charityB.id, charityId: charityB.id, enrollmentId: sharedAtB.enrollmentId, reason: 'home visit' }),
        expect.objectContaining({ actorRole: 'REGULATOR', actorCharityId: null, charityId: charityA.id, enrollmentId: ownAtA.enrollmentId, reason: 'inspection 2026-07' }),
        expect.objectContaining({ actorRole: 'CHARITY', actorCharityId: charityA.id, charityId: charityA.id, enrollmentId: ownAtA.enrollmentId, reason: 'annual review of the care plan', pseudonym: ownAtA.pseudonym }),
      ]);
      expect(entries[0].actorKeyId).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('refuses another charity (FORBIDDEN for A’s people, NOT_FOUND among its own), PUBLIC and ADMIN, and logs every attempt by a key', async () => {
      const reads = await count('beneficiary_access_log');
      const forbidden = await read(charityB.apiKey, ownAtA.pseudonym, 'curious', charityA.id);
      expect(codeOf(forbidden)).toBe('FORBIDDEN');
      expect(forbidden.data).toBeNull();
      const notEnrolled = await read(charityB.apiKey, ownAtA.pseudonym, 'looking for this person among ours');
      expect(codeOf(notEnrolled)).toBe('NOT_FOUND');
      expect(codeOf(await read(undefined, ownAtA.pseudonym, 'public', charityA.id))).toBe('UNAUTHENTICATED');
      expect(codeOf(await read(app.adminKey, ownAtA.pseudonym, 'operator check', charityA.id))).toBe('FORBIDDEN');
      expect(codeOf(await read(regulator, ownAtA.pseudonym, 'which charity?'))).toBe('BAD_USER_INPUT');
      expect(codeOf(await read(charityA.apiKey, ownAtA.pseudonym, '   '))).toBe('BAD_USER_INPUT');
      expect(codeOf(await read(charityA.apiKey, own.idNumber, 'by ID number'))).toBe('BAD_USER_INPUT');
      // the three refusals of a key with a target are logged; PUBLIC has no identity to log, and bad input names no access
      expect(await count('beneficiary_access_log')).toBe(reads + 3);

      const entries = await log(regulator, { pseudonym: ownAtA.pseudonym, action: 'READ' });
      expect(entries.slice(0, 3)).toEqual([
        expect.objectContaining({ actorRole: 'ADMIN', outcome: 'FORBIDDEN', charityId: charityA.id, enrollmentId: null, reason: 'operator check' }),
        expect.objectContaining({ actorRole: 'CHARITY', actorCharityId: charityB.id, outcome: 'NOT_FOUND', charityId: charityB.id, reason: 'looking for this person among ours' }),
        expect.objectContaining({ actorRole: 'CHARITY', actorCharityId: charityB.id, outcome: 'FORBIDDEN', charityId: charityA.id, reason: 'curious' }),
      ]);
      expect(JSON.stringify(entries)).not.toContain(own.idNumber);
    });

    it('shows a charity the accesses to its own people only, and refuses the log to others', async () => {
      await read(charityB.apiKey, ownAtA.pseudonym, 'trying A’s person from B', charityA.id);
      await read(charityB.apiKey, ownAtA.pseudonym, 'looking among B’s own');
      const entries = await log(charityA.apiKey, {});
      expect(entries.length).toBeGreaterThan(0);
      expect(entries.every((entry) => entry.charityId === charityA.id)).toBe(true);
      // B's refused attempt on A's person is visible to A; B's search among its own people is not
      expect(entries).toEqual(expect.arrayContaining([expect.objectContaining({ actorCharityId: charityB.id, outcome: 'FORBIDDEN', reason: 'trying A’s person from B' })]));
      expect(entries.some((entry) => entry.reason === 'looking among B’s own')).toBe(false);
      // enrollments are logged too
      expect(entries).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'ENROLL', outcome: 'GRANTED', enrollmentId: ownAtA.enrollmentId })]));

      expect(codeOf(await app.gql(ACCESS_LOG, { filter: { charityId: charityA.id } }, charityB.apiKey))).toBe('FORBIDDEN');
      expect(codeOf(await app.gql(ACCESS_LOG, {}))).toBe('UNAUTHENTICATED');
      expect(codeOf(await app.gql(ACCESS_LOG, {}, app.adminKey))).toBe('FORBIDDEN');
    });

    it('pages the log newest first', async () => {
      const page = (await app.gql(ACCESS_LOG, { first: 2 }, regulator)).data!.beneficiaryAccessLog;
      expect(page.edges).toHaveLength(2);
      expect(page.pageInfo.hasNextPage).toBe(true);
      expect(Number(page.edges[0].node.id)).toBeGreaterThan(Number(page.edges[1].node.id));
      const next = (await app.gql(ACCESS_LOG, { first: 2, after: page.pageInfo.endCursor }, regulator)).data!.beneficiaryAccessLog;
      expect(Number(next.edges[0].node.id)).toBeLessThan(Number(page.edges[1].node.id));
    });
  });

  it('keeps the access log append-only: the service role may not change it, and triggers refuse even the owner', async () => {
    const before = await app.db.query('SELECT * FROM beneficiary_access_log ORDER BY id');
    await expect(app.db.queryAsApp(`UPDATE beneficiary_access_log SET reason = 'nothing to see'`)).rejects.toThrow(/permission denied/);
    await expect(app.db.queryAsApp('DELETE FROM beneficiary_access_log')).rejects.toThrow(/permission denied/);
    await expect(app.db.queryAsApp('TRUNCATE beneficiary_access_log')).rejects.toThrow(/permission denied/);
    await expect(app.db.query(`UPDATE beneficiary_access_log SET reason = 'nothing to see'`)).rejects.toThrow(/append-only/);
    await expect(app.db.query('DELETE FROM beneficiary_access_log')).rejects.toThrow(/append-only/);
    await expect(app.db.query('TRUNCATE beneficiary_access_log')).rejects.toThrow(/append-only/);
    // nor can an enrollment be deleted, or its sealed record swapped
    await expect(app.db.queryAsApp('DELETE FROM beneficiary_enrollment')).rejects.toThrow(/permission denied/);
    await expect(app.db.query('DELETE FROM beneficiary_enrollment')).rejects.toThrow(/append-only/);
    await expect(app.db.query(`UPDATE beneficiary_enrollment SET commitment = repeat('0', 64)`)).rejects.toThrow(/only change allowed is its erasure/);
    expect(await app.db.query('SELECT * FROM beneficiary_access_log ORDER BY id')).toEqual(before);
  });

  it('detects a sealed record changed in the database: the read fails and nothing is answered', async () => {
    // a superuser flips one ciphertext byte of a throwaway enrollment (the trigger stops everyone else)
    const victim = await enroll(app, charityB, newPerson('钱七'));
    await app.db.query('ALTER TABLE beneficiary_enrollment DISABLE TRIGGER beneficiary_enrollment_check_update');
    try {
      await app.db.query('UPDATE beneficiary_enrollment SET sealed_record = set_byte(sealed_record, 40, get_byte(sealed_record, 40) # 1) WHERE id = $1', [victim.enrollmentId]);
    } finally {
      await app.db.query('ALTER TABLE beneficiary_enrollment ENABLE TRIGGER beneficiary_enrollment_check_update');
    }
    const response = await read(charityB.apiKey, victim.pseudonym, 'check');
    expect(codeOf(response)).toBe('INTERNAL_SERVER_ERROR');
    expect(response.data).toBeNull();
    expect(response.errors![0].message).toBe('Internal server error');
    expect(await log(regulator, { pseudonym: victim.pseudonym, action: 'READ' })).toEqual([]);
  });

  describe('erasure', () => {
    // enrolled at A and B, selected and paid at A, then erased at A
    const erased: Person = newPerson('孙丽华', '1971-10-02');
    let atA: Enrollment;
    let atB: Enrollment;
    let erasure: { data?: any; errors?: unknown };
    let erasedSelection: { sequence: number; position: number; hash: string };
    let sealedBefore: Buffer;
    let before: { hashes: string[]; checkpoint: { treeSize: number; rootHash: string } };

    beforeAll(async () => {
      atA = await enroll(app, charityA, erased);
      atB = await enroll(app, charityB, erased);
      const selected = await app.gql(
        SELECT,
        {
          input: {
            charityId: charityA.id,
            idempotencyKey: idempotencyKey(),
            projectId: 'P-CARE',
            criteria: { text: 'Disability certificate', version: '2026-1' },
            decisionBody: 'Project committee',
            decidedOn: '2026-03-01',
            beneficiaries: [{ pseudonym: atA.pseudonym, commitment: atA.commitment, region: { code: 'SZ-FUTIAN' } }],
          },
        },
        charityA.apiKey,
      );
      erasedSelection = selected.data!.selectBeneficiaries;
      const rows = await app.db.query<{ hash: string }>('SELECT hash FROM ledger_entry ORDER BY position');
      before = { hashes: rows.map((row) => row.hash), checkpoint: await publishCheckpoint(app) };
      sealedBefore = (await app.db.query('SELECT sealed_record FROM beneficiary_enrollment WHERE id = $1', [atA.enrollmentId]))[0].sealed_record as Buffer;
      erasure = await app.gql(ERASE, { pseudonym: atA.pseudonym, reason: 'PIPL Art. 47 request of 2026-11-20' }, charityA.apiKey);
    });

    it('answers with the erased enrollment and logs the erasure with its reason', async () => {
      expect(erasure.errors).toBeUndefined();
      expect(erasure.data!.eraseBeneficiary).toMatchObject({ enrollmentId: atA.enrollmentId, charityId: charityA.id, pseudonym: atA.pseudonym });
      const entries = await log(regulator, { pseudonym: atA.pseudonym, action: 'ERASE', outcome: 'GRANTED' });
      expect(entries).toEqual([
        expect.objectContaining({ actorRole: 'CHARITY', actorCharityId: charityA.id, charityId: charityA.id, enrollmentId: atA.enrollmentId, reason: 'PIPL Art. 47 request of 2026-11-20' }),
      ]);
    });

    it('destroys the key and salt: nobody, not even a regulator, can read the data, and the ciphertext left behind cannot be opened', async () => {
      expect(await count(`beneficiary_key WHERE enrollment_id = '${atA.enrollmentId}'`)).toBe(0);
      const [row] = await app.db.query<{ sealed_record: Buffer; erased_at: Date | null }>('SELECT sealed_record, erased_at FROM beneficiary_enrollment WHERE id = $1', [atA.enrollmentId]);
      expect(row.erased_at).not.toBeNull();
      expect(row.sealed_record.equals(sealedBefore)).toBe(true);
      // even with the platform key-encryption key in hand, there is no data key left to unwrap
      expect(await count(`beneficiary_key k JOIN beneficiary_enrollment e ON e.id = k.enrollment_id WHERE e.pseudonym = '${atA.pseudonym}' AND e.charity_id = '${charityA.id}'`)).toBe(0);

      for (const [key, charityId] of [[charityA.apiKey, undefined], [regulator, charityA.id]] as const) {
        const response = await read(key, atA.pseudonym, 'after erasure', charityId);
        expect(codeOf(response)).toBe('GONE');
        expect(response.errors![0].message).toContain('erased');
        expect(response.data).toBeNull();
      }
      expect(codeOf(await app.gql(ERASE, { pseudonym: atA.pseudonym, reason: 'again' }, charityA.apiKey))).toBe('GONE');
      const entries = await log(regulator, { pseudonym: atA.pseudonym, charityId: charityA.id, outcome: 'GONE' });
      expect(entries.map((entry) => [entry.action, entry.actorRole])).toEqual([
        ['ERASE', 'CHARITY'],
        ['READ', 'REGULATOR'],
        ['READ', 'CHARITY'],
      ]);
    });

    it('leaves every ledger hash, the chain and the Merkle proofs valid', async () => {
      const rows = await app.db.query<{ hash: string }>('SELECT hash FROM ledger_entry ORDER BY position');
      expect(rows.map((row) => row.hash).slice(0, before.hashes.length)).toEqual(before.hashes);
      for (const charity of [charityA, charityB]) {
        const { data } = await app.gql(`{ verifyChain(charityId: "${charity.id}") { valid firstInvalidSequence } }`);
        expect(data!.verifyChain).toEqual({ valid: true, firstInvalidSequence: null });
      }
      // the log grows on; the checkpoint taken before the erasure is consistent with a later one
      expect((await app.gql(RECORD_DONATION, { input: donationInput(charityA.id) }, charityA.apiKey)).errors).toBeUndefined();
      const after = await publishCheckpoint(app);
      expect(after.treeSize).toBeGreaterThan(before.checkpoint.treeSize);
      const { data } = await app.gql(`{
        consistency: consistencyProof(fromSize: ${before.checkpoint.treeSize}, toSize: ${after.treeSize})
        inclusion: inclusionProof(position: ${erasedSelection.position}, treeSize: ${after.treeSize})
      }`);
      const bytes = (hashes: string[]) => hashes.map((hash) => Buffer.from(hash, 'hex'));
      const root = Buffer.from(after.rootHash, 'hex');
      expect(() => verifyConsistency(before.checkpoint.treeSize, after.treeSize, bytes(data!.consistency), Buffer.from(before.checkpoint.rootHash, 'hex'), root)).not.toThrow();
      // the selection that names the erased person is still in the log, with its original hash and commitment
      expect(() => verifyInclusion(entryLeafHash(erasedSelection.hash), erasedSelection.position - 1, after.treeSize, bytes(data!.inclusion), root)).not.toThrow();
      const entry = (await app.gql(`{ ledgerEntryAt(position: ${erasedSelection.position}) { hash payload } }`)).data!.ledgerEntryAt;
      expect(entry.hash).toBe(erasedSelection.hash);
      expect(entry.payload.beneficiaries[0]).toMatchObject({ pseudonym: atA.pseudonym, commitment: atA.commitment });
    });

    it('leaves the same person’s enrollment at another charity to that charity', async () => {
      const response = await read(charityB.apiKey, atB.pseudonym, 'still supported by us');
      expect(response.data!.beneficiaryRecord).toMatchObject({ enrollmentId: atB.enrollmentId, name: erased.name });
    });

    it('is for the enrolling charity only: another charity, a regulator and the admin are refused and logged', async () => {
      for (const key of [charityB.apiKey, regulator, app.adminKey]) {
        const response = await app.gql(ERASE, { pseudonym: ownAtA.pseudonym, reason: 'not theirs to erase', charityId: charityA.id }, key);
        expect(codeOf(response)).toBe('FORBIDDEN');
      }
      expect(codeOf(await app.gql(ERASE, { pseudonym: ownAtA.pseudonym, reason: 'anonymous', charityId: charityA.id }))).toBe('UNAUTHENTICATED');
      const refused = await log(regulator, { pseudonym: ownAtA.pseudonym, action: 'ERASE', outcome: 'FORBIDDEN' });
      expect(refused.map((entry) => entry.actorRole).sort()).toEqual(['ADMIN', 'CHARITY', 'REGULATOR']);
      expect(await count(`beneficiary_key WHERE enrollment_id = '${ownAtA.enrollmentId}'`)).toBe(1);
      expect((await read(charityA.apiKey, ownAtA.pseudonym, 'still readable')).data!.beneficiaryRecord.name).toBe(own.name);
    });

    it('lets the charity enroll a person again after erasure: the same pseudonym, a new enrollment and commitment', async () => {
      const person = newPerson('周海燕', '1985-04-12');
      const first = await enroll(app, charityA, person);
      expect((await app.gql(ERASE, { pseudonym: first.pseudonym, reason: 'moved away' }, charityA.apiKey)).errors).toBeUndefined();
      const again = await enroll(app, charityA, person);
      expect(again).toMatchObject({ pseudonym: first.pseudonym, alreadyEnrolled: false });
      expect(again.enrollmentId).not.toBe(first.enrollmentId);
      expect(again.commitment).not.toBe(first.commitment);
      expect((await read(charityA.apiKey, again.pseudonym, 'new enrollment')).data!.beneficiaryRecord.enrollmentId).toBe(again.enrollmentId);
    });
  });

  it('never shows a name, ID number or contact in public answers: ledger, entries by position, traces, balances, the export', async () => {
    const secrets = [shared.name, own.name, shared.idNumber, own.idNumber, '110105 19491231', shared.phone, own.phone, own.address, '王小明'];
    const answers: string[] = [];
    const publicly = async (query: string) => {
      const response = await app.gql(query);
      expect(response.errors).toBeUndefined();
      answers.push(JSON.stringify(response.data));
    };
    const entryFields = 'position sequence type charityId occurredAt recordedAt actorKeyId prevHash hash canonicalJson payload reversed reversedBy leafHash';
    for (const charity of [charityA, charityB]) {
      await publicly(`{ ledgerEntries(charityId: "${charity.id}", first: 500) { edges { node { ${entryFields} } } } }`);
      await publicly(`{ charityBalance(charityId: "${charity.id}") { available { amount } spent { total { amount } } goodsInStock { itemCode units } } }`);
      await publicly(`{ verifyChain(charityId: "${charity.id}") { valid length headHash } }`);
    }
    const positions = await app.db.query<{ position: string; charity_id: string; sequence: string }>('SELECT position, charity_id, sequence FROM ledger_entry ORDER BY position');
    expect(positions.length).toBeGreaterThanOrEqual(5);
    for (const { position, charity_id: charityId, sequence } of positions) {
      await publicly(`{ ledgerEntryAt(position: ${position}) { ${entryFields} } }`);
      await publicly(`{ traceEntry(charityId: "${charityId}", sequence: ${sequence}) {
        entry { payload } funding { donationSequence kind amount { amount } }
        gift { charityName uses { sequence type amount { amount } projectId } deliveries { sequence itemCode units regionCode district street date } } } }`);
    }
    // a donor's trace of the gift that paid the people
    const [gift] = await app.db.query<{ sequence: string }>(`SELECT sequence FROM ledger_entry WHERE charity_id = $1 AND type = 'CASH_DONATION' ORDER BY sequence LIMIT 1`, [charityA.id]);
    const issued = await app.gql(`mutation { issueReceiptCode(charityId: "${charityA.id}", donationSequence: ${gift.sequence}) { receiptCode } }`, {}, charityA.apiKey);
    await publicly(`{ traceDonation(receiptCode: "${issued.data!.issueReceiptCode.receiptCode}") {
      charityName uses { sequence type amount { amount } projectId reversed } deliveries { sequence regionCode street date }
      attributed { amount } unspent { amount } } }`);
    await publicly(`{ projectBalance(charityId: "${charityA.id}", projectId: "P-CARE") { status spent { total { amount } } available { amount } } }`);
    await publicly(`{ projects(charityId: "${charityA.id}") { projectId title } }`);

    await publishCheckpoint(app);
    for (const url of ['/export', `/export?charityId=${charityA.id}`, `/export?charityId=${charityB.id}`, '/checkpoint']) {
      const response = await app.http().get(url);
      expect(response.status).toBe(200);
      answers.push(response.text);
    }
    const all = answers.join('\n');
    // what was scanned holds the pseudonyms (the ledger's own content)
    expect(all).toContain(sharedAtA.pseudonym);
    for (const secret of secrets) expect({ secret, found: all.includes(secret) }).toEqual({ secret, found: false });
  });

  it('refuses to start with another pseudonym key than the one its people were enrolled under', async () => {
    let failure: unknown;
    try {
      // the same database and data directory, another pseudonym key
      await startTransparencyApp({ db: app.db, dataDir: app.dataDir, adminKey: app.adminKey, settings: { beneficiaryPseudonymKey: randomBytes(32).toString('base64') } });
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as Error).message).toContain('BENEFICIARY_PSEUDONYM_KEY: this database\'s beneficiaries were enrolled under another key');
  });
});
