import { enroll, newPerson, type Person } from './support/beneficiary-fixtures.js';
import { charityActions, type CharityActions } from './support/charity-actions.js';
import { registerCharity, type GraphQLResponse } from './support/test-app.js';
import { startTransparencyApp, type TransparencyApp } from './support/transparency-app.js';

// Issue: "a scan of every public GraphQL answer and every export for the enrolled
// names and ID numbers finds none". Every query field of the schema is called without
// a key, with every field of its answer selected (from introspection, so a field added
// later is scanned too): it is either refused, or answered — and then scanned.

interface TypeRef {
  kind: string;
  name: string | null;
  ofType: TypeRef | null;
}
interface InputValue {
  name: string;
  type: TypeRef;
  defaultValue: string | null;
}
interface Field {
  name: string;
  args: InputValue[];
  type: TypeRef;
}
interface FullType {
  kind: string;
  name: string;
  fields: Field[] | null;
  inputFields: InputValue[] | null;
  enumValues: Array<{ name: string }> | null;
}

const INTROSPECTION = `{
  __schema {
    queryType { name }
    types {
      kind name
      fields { name args { name defaultValue type { ...Ref } } type { ...Ref } }
      inputFields { name defaultValue type { ...Ref } }
      enumValues { name }
    }
  }
}
fragment Ref on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }`;

const named = (type: TypeRef): TypeRef => (type.ofType ? named(type.ofType) : type);
const required = (type: TypeRef) => type.kind === 'NON_NULL';

/** The fields of a type, every level down to `depth`, leaving out fields that need arguments. */
function selection(types: Map<string, FullType>, typeName: string, depth: number): string {
  const type = types.get(typeName)!;
  if (type.kind === 'SCALAR' || type.kind === 'ENUM') return '';
  if (depth === 0) return '{ __typename }';
  const parts = (type.fields ?? [])
    .filter((field) => field.args.every((arg) => !required(arg.type)))
    .map((field) => {
      const inner = named(field.type).name!;
      return `${field.name} ${selection(types, inner, depth - 1)}`;
    });
  return `{ __typename ${parts.join(' ')} }`;
}

/** A GraphQL literal for an argument: the fixture's real value when one is known by name, else a well-formed stand-in. */
function literal(types: Map<string, FullType>, name: string, type: TypeRef, known: Record<string, unknown>): string {
  if (name in known) return JSON.stringify(known[name]);
  if (type.kind === 'NON_NULL') return literal(types, name, type.ofType!, known);
  if (type.kind === 'LIST') return `[${literal(types, name, type.ofType!, known)}]`;
  const full = types.get(type.name!)!;
  if (full.kind === 'ENUM') return full.enumValues![0].name;
  if (full.kind === 'INPUT_OBJECT') {
    const fields = full.inputFields!
      .filter((field) => required(field.type) || field.name in known)
      // a period is either from/to or a year, not both (DisclosureFilter)
      .filter((field, _index, all) => !(field.name === 'year' && all.some((other) => other.name === 'from')));
    return `{ ${fields.map((field) => `${field.name}: ${literal(types, field.name, field.type, known)}`).join(', ')} }`;
  }
  switch (type.name) {
    case 'Int':
      return '1';
    case 'Boolean':
      return 'false';
    case 'ID':
      return JSON.stringify('00000000-0000-4000-8000-000000000000');
    default:
      return JSON.stringify('x');
  }
}

describe('public answers hold no personal data of beneficiaries', () => {
  let app: TransparencyApp;
  let charity: CharityActions;
  let receiptCode: string;
  let pseudonym: string;
  const people: Person[] = Array.from({ length: 12 }, (_, index) => newPerson(`测试居民${'甲乙丙丁戊己庚辛壬癸子丑'[index]}${index}`, '1951-04-0' + ((index % 9) + 1)));
  // what must never be shown: names, ID numbers, phones and addresses of the people enrolled
  const secrets = people.flatMap((person) => [person.name, person.idNumber, person.phone, person.address]);

  beforeAll(async () => {
    app = await startTransparencyApp();
    const registered = await registerCharity(app, '深圳市扫描测试慈善会');
    charity = charityActions(app, registered);
    await charity.openProject('P-SCAN', { startDate: '2025-01-01', endDate: '2025-12-31', region: { code: 'SZ-FUTIAN-YUANLING' } });
    const gift = await charity.send(
      `mutation ($input: RecordDonationInput!) { recordDonation(input: $input) { receiptCode } }`,
      { amount: '9000.00', currency: 'CNY', donor: { name: '赵捐赠', publishName: false }, channel: 'BANK_TRANSFER', receivedAt: '2025-02-01T02:00:00.000Z', handler: '王会计', restriction: { kind: 'PROJECT', projectId: 'P-SCAN' } },
    );
    receiptCode = gift.data!.recordDonation.receiptCode;
    const enrolled = [];
    for (const person of people) enrolled.push(await enroll(app, registered, person));
    pseudonym = enrolled[0].pseudonym;
    await charity.select('P-SCAN', enrolled.map((one) => ({ pseudonym: one.pseudonym, region: 'SZ-FUTIAN-YUANLING' })), '2025-02-10');
    for (const one of enrolled) await charity.disburse('P-SCAN', one.pseudonym, '2025-02-15T02:00:00.000Z', { cash: '500.00' });
    const photo = await charity.uploadMedia();
    const report = await charity.send(`mutation ($input: PublishProgressReportInput!) { publishProgressReport(input: $input) { sequence } }`, {
      projectId: 'P-SCAN',
      period: '2025-Q1',
      narrative: '第一季度为十二户居民发放了生活补助。',
      indicators: [{ name: 'Households supported', unit: 'households', baseline: '0', target: '12', actual: '12' }],
      media: [{ sha256: photo, caption: '发放现场' }],
    });
    expect(report.errors).toBeUndefined();
    const checkpoint = await app.gql(`mutation { publishCheckpoint { treeSize } }`, {}, app.adminKey);
    expect(checkpoint.errors).toBeUndefined();
  }, 180_000);

  afterAll(async () => {
    await app?.close();
  });

  /** Fails naming each secret found in the text, and where. */
  function expectNoSecrets(where: string, text: string): void {
    const found = secrets.filter((secret) => text.includes(secret));
    expect({ where, found }).toEqual({ where, found: [] });
  }

  it('answers every public query field without a name, ID number, phone or address, and refuses the others', async () => {
    const introspection = await app.gql<{ __schema: { queryType: { name: string }; types: FullType[] } }>(INTROSPECTION);
    const types = new Map(introspection.data!.__schema.types.map((type) => [type.name, type]));
    const query = types.get(introspection.data!.__schema.queryType.name)!;
    const known: Record<string, unknown> = {
      charityId: charity.charityId,
      id: charity.charityId,
      projectId: 'P-SCAN',
      receiptCode,
      sequence: 2,
      position: 1,
      treeSize: 2,
      size: 2,
      first: 50,
      from: '2025-01-01',
      to: '2026-01-01',
      year: 2025,
      asOf: '2026-06-30',
      pseudonym,
      reason: 'scan',
    };

    const answered: string[] = [];
    const refused: string[] = [];
    const failures: Array<{ field: string; errors: GraphQLResponse['errors'] }> = [];
    for (const field of query.fields!) {
      const args = field.args.filter((arg) => required(arg.type) || arg.name in known);
      const argumentList = args.length ? `(${args.map((arg) => `${arg.name}: ${literal(types, arg.name, arg.type, known)}`).join(', ')})` : '';
      const document = `{ ${field.name}${argumentList} ${selection(types, named(field.type).name!, 4)} }`;
      const response = await app.gql(document);
      const code = response.errors?.[0]?.extensions?.code;
      if (code === 'UNAUTHENTICATED' || code === 'FORBIDDEN') {
        refused.push(field.name);
        expect(response.data?.[field.name] ?? null).toBeNull();
        continue;
      }
      if (response.errors || response.data?.[field.name] === undefined) {
        failures.push({ field: field.name, errors: response.errors });
        continue;
      }
      answered.push(field.name);
      expectNoSecrets(field.name, JSON.stringify(response.data));
    }
    // every field was either answered (and scanned) or refused: a stand-in that did not fit would show here
    expect(failures).toEqual([]);
    expect(answered).toEqual(
      expect.arrayContaining(['ledgerEntries', 'ledgerEntry', 'ledgerEntryAt', 'traceDonation', 'traceEntry', 'progressReports', 'disclosureSchedule', 'charityBalance', 'projectBalance', 'disclosures']),
    );
    expect(refused).toEqual(expect.arrayContaining(['beneficiaryRecord', 'beneficiaryAccessLog', 'duplicateAidReport', 'complianceReport', 'overdueDisclosures', 'donationReceipt']));
    // the scan is not empty: the public ledger holds the people's pseudonyms
    const ledger = await app.gql(`query ($id: ID!) { ledgerEntries(charityId: $id, first: 50) { edges { node { payload canonicalJson } } } }`, { id: charity.charityId });
    expect(JSON.stringify(ledger.data)).toContain(pseudonym);
  });

  it('exports nothing personal: the log export, a charity export, the IATI file, media', async () => {
    const routes = [
      '/export',
      `/export?charityId=${charity.charityId}`,
      `/iati/${charity.charityId}.xml`,
      '/checkpoint',
      '/.well-known/charity-ledger/keys',
      '/disclosures.csv?year=2025&groupBy=MONTH,STREET',
    ];
    for (const route of routes) {
      const response = await app.http().get(route).buffer(true).parse((res, callback) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => callback(null, Buffer.concat(chunks).toString('utf8')));
      });
      expect({ route, status: response.status }).toEqual({ route, status: 200 });
      expect((response.body as string).length).toBeGreaterThan(0);
      expectNoSecrets(route, response.body as string);
    }
  });
});
