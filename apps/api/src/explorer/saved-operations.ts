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
  recordDonation(input: $input) { position sequence type hash prevHash recordedAt payload }
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
  ...reads('PUBLIC'),
  ...reads('REGULATOR'),
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
