// The explorer's example operations. This file is the single source: the browser
// bundle (client/explorer.jsx, bundled by tools/build-explorer.mjs) imports it, and
// so do the tests. Keep it free of Node and DOM APIs so that both sides can load it.

export const EXPLORER_ROLES = ['ADMIN', 'CHARITY', 'PUBLIC', 'REGULATOR'] as const;
export type ExplorerRole = (typeof EXPLORER_ROLES)[number];

export interface SavedOperation {
  readonly role: ExplorerRole;
  /** Human name of the example (fixed by the API contract). */
  readonly name: string;
  readonly query: string;
  readonly variables?: Readonly<Record<string, unknown>>;
}

/** The shape of GraphiQL 5's `defaultTabs` entries; all three are editor texts. */
export interface ExplorerTab {
  readonly query: string;
  readonly variables?: string;
  readonly headers?: string;
}

// Placeholders the user replaces with a real key; PUBLIC reads send no header at all.
export const ROLE_HEADERS: Readonly<Record<ExplorerRole, Readonly<Record<string, string>> | null>> = {
  ADMIN: { Authorization: 'Bearer PASTE-ADMIN-KEY-HERE' },
  CHARITY: { Authorization: 'Bearer PASTE-CHARITY-KEY-HERE' },
  PUBLIC: null,
  REGULATOR: { Authorization: 'Bearer PASTE-REGULATOR-KEY-HERE' },
};

// Shown as `#` comments at the top of each tab: GraphiQL titles a tab after its
// operation name, so the role and the example's name would otherwise not be visible.
// Kept short so that they fit the query editor's width.
const ROLE_HINTS: Readonly<Record<ExplorerRole, string>> = {
  ADMIN: 'Paste the admin key in Headers (below).',
  CHARITY: 'Paste the charity key (from registerCharity) in Headers.',
  PUBLIC: 'Public read: no key needed.',
  REGULATOR: 'Paste a regulator key (from issueApiKey) in Headers.',
};

// The reads take an operation-name prefix: the REGULATOR copies of the PUBLIC reads
// would otherwise get the same tab titles ("Chain", "Verify"…) and look identical.
const chainQuery = (prefix: string): string => `query ${prefix}Chain($charityId: ID!) {
  ledgerEntries(charityId: $charityId, first: 20) {
    edges {
      cursor
      node { sequence type occurredAt recordedAt prevHash hash payload }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

const verifyQuery = (prefix: string): string => `query ${prefix}Verify($charityId: ID!) {
  verifyChain(charityId: $charityId) { valid length headHash firstInvalidSequence reason }
}`;

// Operation names (ListCharities, IssueRegulatorKey) are added to the anonymous
// examples of the contract so that their tabs get a title instead of "<untitled>".
const listCharitiesQuery = (prefix: string): string => `query ${prefix}ListCharities {
  charities(first: 20) {
    edges { node { id name kind } }
  }
}`;

const CHARITY_ID = { charityId: 'PASTE-CHARITY-ID' };

// Public answers hide cells that reached 1–9 people (suppressed, with a reason); a regulator's are exact.
// The same figures as CSV with an HXL row: GET /disclosures.csv?year=2026&groupBy=MONTH,DISTRICT
const disclosuresQuery = (name: string): string => `query ${name}($filter: DisclosureFilter!, $groupBy: [DisclosureDimension!]) {
  disclosures(filter: $filter, groupBy: $groupBy) {
    from to exact hiddenCells
    cells {
      month quarter charityName districtName streetName projectCategory
      suppressed suppressionReason
      figures {
        received { cash { amount currency } inKind { amount } refunded { amount } }
        spent { charitableActivity { amount } management { amount } fundraising { amount } total { amount } }
        goodsDisbursed { units value { amount } }
        beneficiariesReached
      }
    }
    total { figures { received { cash { amount } } spent { total { amount } } beneficiariesReached } }
  }
}`;

function reads(role: 'PUBLIC' | 'REGULATOR'): SavedOperation[] {
  const prefix = role === 'REGULATOR' ? 'Regulator' : '';
  return [
    { role, name: "Read a charity's chain", query: chainQuery(prefix), variables: CHARITY_ID },
    { role, name: 'Verify a chain', query: verifyQuery(prefix), variables: CHARITY_ID },
    { role, name: 'List charities', query: listCharitiesQuery(prefix) },
  ];
}

export const SAVED_OPERATIONS: readonly SavedOperation[] = [
  {
    role: 'ADMIN',
    name: 'Register a charity',
    query: `mutation RegisterCharity($input: RegisterCharityInput!) {
  registerCharity(input: $input) {
    charity { id name creditCode kind currency }
    apiKey
  }
}`,
    variables: {
      input: {
        name: '深圳市阳光助残慈善基金会',
        creditCode: '91350100M000100Y43',
        kind: 'PUBLIC_FUNDRAISING_FOUNDATION',
        currency: 'CNY',
      },
    },
  },
  {
    role: 'ADMIN',
    name: 'Issue a regulator key',
    query: `mutation IssueRegulatorKey {
  issueApiKey(input: { role: REGULATOR, label: "Civil affairs bureau" }) { id apiKey role }
}`,
  },
  {
    role: 'CHARITY',
    name: 'Record a donation',
    query: `mutation RecordDonation($input: RecordDonationInput!) {
  recordDonation(input: $input) { position sequence type hash prevHash recordedAt payload receiptCode }
}`,
    variables: {
      input: {
        charityId: 'PASTE-CHARITY-ID',
        idempotencyKey: 'gift-2026-0001',
        amount: '500.00',
        currency: 'CNY',
        donor: { name: '张三', publishName: false },
        channel: 'BANK_TRANSFER',
        restriction: { kind: 'UNRESTRICTED' },
        receivedAt: '2026-11-01T09:30:00.000Z',
        handler: '王会计',
      },
    },
  },
  {
    role: 'CHARITY',
    name: 'Record an in-kind donation',
    query: `mutation RecordInKindDonation($input: RecordInKindDonationInput!) {
  recordInKindDonation(input: $input) { sequence type hash }
}`,
    variables: {
      input: {
        charityId: 'PASTE-CHARITY-ID',
        idempotencyKey: 'goods-2026-0001',
        donor: { name: '深圳某企业', publishName: true },
        items: [{ itemCode: 'WHEELCHAIR-STD', description: 'Manual wheelchair', quantity: 20, unit: 'piece' }],
        valuationBasis: 'INVOICE',
        fairValue: '16000.00',
        currency: 'CNY',
        condition: 'NEW',
        receivedAt: '2026-11-02T10:00:00.000Z',
        handler: '王会计',
      },
    },
  },
  {
    role: 'CHARITY',
    name: 'Open a project',
    query: `mutation OpenProject($input: OpenProjectInput!) {
  openProject(input: $input) { sequence type payload }
}`,
    variables: {
      input: {
        charityId: 'PASTE-CHARITY-ID',
        idempotencyKey: 'project-2026-01',
        projectId: 'P-2026-WHEELCHAIRS',
        title: '轮椅进社区',
        purpose: 'Wheelchairs for residents of Yuanling with limited mobility',
        category: 'DISABILITY_SUPPORT',
        region: { code: 'SZ-FUTIAN-YUANLING' },
        startDate: '2026-01-01',
        endDate: '2026-12-31',
        budget: '50000.00',
        currency: 'CNY',
        publicFundraising: true,
      },
    },
  },
  {
    role: 'CHARITY',
    name: 'Record a procurement',
    query: `mutation RecordProcurement($input: RecordProcurementInput!) {
  recordProcurement(input: $input) { sequence type payload }
}`,
    variables: {
      input: {
        charityId: 'PASTE-CHARITY-ID',
        idempotencyKey: 'purchase-2026-0001',
        projectId: 'P-2026-WHEELCHAIRS',
        supplier: { name: '深圳康复器材有限公司', creditCode: '91350100M000100Y43' },
        lines: [{ description: 'Manual wheelchair', itemCode: 'WHEELCHAIR-STD', quantity: 2, unit: 'piece', unitPrice: '200.00' }],
        total: '400.00',
        currency: 'CNY',
        invoice: { sha256: 'a'.repeat(64) },
        purchasedAt: '2026-11-03T10:00:00.000Z',
      },
    },
  },
  {
    role: 'CHARITY',
    name: 'Select beneficiaries',
    query: `mutation SelectBeneficiaries($input: SelectBeneficiariesInput!) {
  selectBeneficiaries(input: $input) { sequence type payload }
}`,
    variables: {
      input: {
        charityId: 'PASTE-CHARITY-ID',
        idempotencyKey: 'selection-2026-01',
        projectId: 'P-2026-WHEELCHAIRS',
        criteria: { text: 'Residents with a mobility disability certificate', version: '2026-1' },
        decisionBody: 'Project committee',
        decidedOn: '2026-11-04',
        beneficiaries: [{ pseudonym: 'ps-7f3a9c21', commitment: 'c'.repeat(64), region: { code: 'SZ-FUTIAN-YUANLING' } }],
      },
    },
  },
  {
    role: 'CHARITY',
    name: 'Record a disbursement',
    query: `mutation RecordDisbursement($input: RecordDisbursementInput!) {
  recordDisbursement(input: $input) { sequence type payload }
}`,
    variables: {
      input: {
        charityId: 'PASTE-CHARITY-ID',
        idempotencyKey: 'delivery-2026-0001',
        projectId: 'P-2026-WHEELCHAIRS',
        beneficiary: 'ps-7f3a9c21',
        goods: [{ itemCode: 'WHEELCHAIR-STD', quantity: 1 }],
        method: 'DELIVERY',
        disbursedAt: '2026-11-05T09:00:00.000Z',
        deliveryEvidenceSha256: 'd'.repeat(64),
      },
    },
  },
  {
    role: 'CHARITY',
    name: 'Publish a progress report',
    query: `mutation PublishProgressReport($input: PublishProgressReportInput!) {
  publishProgressReport(input: $input) { sequence type payload }
}`,
    variables: {
      input: {
        charityId: 'PASTE-CHARITY-ID',
        idempotencyKey: 'report-2026-10',
        projectId: 'P-2026-WHEELCHAIRS',
        period: '2026-10',
        narrative: '十月份完成受助人评审，采购轮椅两台，将于十一月送达。',
        indicators: [{ name: 'Residents given a wheelchair', unit: 'persons', baseline: '0', target: '20', actual: '0' }],
        media: [],
      },
    },
  },
  {
    role: 'PUBLIC',
    name: 'Trace a gift',
    query: `query TraceGift($receiptCode: String!) {
  traceDonation(receiptCode: $receiptCode) {
    charityName kind amount { amount currency } restriction { kind projectId }
    uses { sequence type amount { amount } projectId costClass reversed }
    goods { itemCode units deliveredUnits inStockUnits }
    deliveries { itemCode units district street date }
    attributed { amount } refunded { amount } unspent { amount }
  }
}`,
    variables: { receiptCode: 'PASTE-RECEIPT-CODE' },
  },
  {
    role: 'PUBLIC',
    name: 'A project’s balance',
    query: `query ProjectBalance($charityId: ID!) {
  projectBalance(charityId: $charityId, projectId: "P-2026-WHEELCHAIRS") {
    status receivedRestricted { amount } spent { total { amount } } available { amount } goodsInStock { itemCode units }
  }
}`,
    variables: CHARITY_ID,
  },
  {
    role: 'PUBLIC',
    name: 'The latest checkpoint',
    query: `query LatestCheckpoint {
  latestCheckpoint { treeSize rootHash note signedBy createdAt }
  checkpointKeys { verifierKey current }
}`,
  },
  {
    role: 'PUBLIC',
    name: 'Prove an entry is in the log',
    query: `query InclusionProof {
  ledgerEntryAt(position: 1) { charityId sequence hash leafHash }
  inclusionProof(position: 1, treeSize: 2)
}`,
  },
  {
    role: 'PUBLIC',
    name: 'Disclosures by month and district',
    query: disclosuresQuery('PublicDisclosures'),
    variables: { filter: { year: 2026 }, groupBy: ['MONTH', 'DISTRICT'] },
  },
  {
    role: 'PUBLIC',
    name: 'Progress reports',
    query: `query ProgressReports($charityId: ID!) {
  progressReports(charityId: $charityId, projectId: "P-2026-WHEELCHAIRS", first: 10) {
    totalCount
    edges {
      node {
        sequence period narrative reversed publishedAt
        indicators { name unit baseline target actual }
        media { sha256 caption }
        financialSummary {
          receivedCash { amount currency } refunded { amount }
          spent { charitableActivity { amount } management { amount } fundraising { amount } total { amount } }
          goodsDisbursedQuantity goodsDisbursedValue { amount } beneficiariesReached
        }
      }
    }
  }
}`,
    variables: CHARITY_ID,
  },
  {
    role: 'PUBLIC',
    name: 'A project’s disclosure schedule',
    query: `query DisclosureSchedule($charityId: ID!) {
  disclosureSchedule(charityId: $charityId, projectId: "P-2026-WHEELCHAIRS") {
    asOf periodic end
    obligations { kind dueOn status satisfiedBy satisfiedOn late basis }
  }
}`,
    variables: CHARITY_ID,
  },
  // Subscriptions run over graphql-ws (the explorer's fetcher opens a WebSocket to /graphql):
  // press Run and leave the tab open; results arrive as entries are appended.
  {
    role: 'PUBLIC',
    name: 'Live: new entries of a charity',
    query: `subscription LiveCharityEntries($charityId: ID!) {
  ledgerEntryAdded(charityId: $charityId) { position sequence type occurredAt recordedAt hash payload }
}`,
    variables: CHARITY_ID,
  },
  {
    role: 'PUBLIC',
    name: 'Live: new entries of every charity',
    query: `subscription LiveAllEntries {
  ledgerEntryAdded { position charityId sequence type recordedAt hash }
}`,
  },
  {
    role: 'PUBLIC',
    name: 'Live: new checkpoints',
    query: `subscription LiveCheckpoints {
  checkpointPublished { treeSize rootHash signedBy createdAt }
}`,
  },
  ...reads('PUBLIC'),
  ...reads('REGULATOR'),
  {
    role: 'REGULATOR',
    name: 'Exact disclosures by charity and quarter',
    query: disclosuresQuery('RegulatorDisclosures'),
    variables: { filter: { from: '2026-01-01', to: '2027-01-01' }, groupBy: ['CHARITY', 'QUARTER'] },
  },
  {
    role: 'REGULATOR',
    name: 'Overdue disclosures',
    query: `query OverdueDisclosures($asOf: String!) {
  overdueDisclosures(asOf: $asOf) { charityName projectId projectTitle kind dueOn daysOverdue basis }
}`,
    variables: { asOf: '2026-12-31' },
  },
  {
    role: 'REGULATOR',
    name: "Check a charity's compliance",
    query: `query ComplianceReport($charityId: ID!, $year: Int!) {
  complianceReport(charityId: $charityId, year: $year) {
    charity { name } kind year yearComplete asOf
    rules { id title source status threshold actual explanation arithmetic inputs { name value unit } }
    flags { id title raised value explanation items { reference description amount { amount } date } }
  }
}`,
    variables: { charityId: 'PASTE-CHARITY-ID', year: 2026 },
  },
];

export function toExplorerTab(operation: SavedOperation): ExplorerTab {
  const headers = ROLE_HEADERS[operation.role];
  return {
    query: `# ${operation.role}: ${operation.name}\n# ${ROLE_HINTS[operation.role]}\n\n${operation.query}\n`,
    ...(operation.variables ? { variables: JSON.stringify(operation.variables, null, 2) } : {}),
    ...(headers ? { headers: JSON.stringify(headers, null, 2) } : {}),
  };
}

/** GraphiQL's `defaultTabs`, in role order: ADMIN, CHARITY, PUBLIC, REGULATOR. */
export const EXPLORER_TABS: readonly ExplorerTab[] = SAVED_OPERATIONS.map(toExplorerTab);
