import { causeOf } from './sources.js';
import { UsageError } from './verification.js';

export interface GraphQLError {
  message: string;
  path?: Array<string | number>;
  extensions?: { code?: string };
}

export interface RemoteEntry {
  position: number;
  charityId: string;
  sequence: number;
  hash: string;
  prevHash: string;
  canonicalJson: string;
}

/** What a spot check asks for one position: the entry, and its inclusion proof in the checkpoint's tree. */
export interface PositionAnswer {
  position: number;
  entry: RemoteEntry | null;
  proof: string[] | null;
  /** The service's error for this position, if any. */
  error: GraphQLError | null;
}

const REQUEST_TIMEOUT_MS = 60_000;

/** The few calls `verify live` makes to a running log (plain fetch: no client library to trust). */
export class LogClient {
  readonly graphqlUrl: string;

  constructor(
    readonly baseUrl: string,
    graphqlUrl?: string,
  ) {
    this.graphqlUrl = graphqlUrl ?? `${baseUrl}/graphql`;
  }

  /** GET a text resource; null on 404. */
  async text(path: string): Promise<string | null> {
    const url = `${this.baseUrl}${path}`;
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    } catch (error) {
      throw new UsageError(`cannot reach ${url}: ${causeOf(error)}`);
    }
    if (response.status === 404) return null;
    if (!response.ok) throw new UsageError(`${url} answered HTTP ${response.status}`);
    return response.text();
  }

  async graphql<Data>(query: string, variables: Record<string, unknown> = {}): Promise<{ data: Data | null; errors: GraphQLError[] }> {
    let response: Response;
    try {
      response = await fetch(this.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw new UsageError(`cannot reach ${this.graphqlUrl}: ${causeOf(error)}`);
    }
    let body: { data?: Data | null; errors?: GraphQLError[] };
    try {
      body = (await response.json()) as typeof body;
    } catch {
      throw new UsageError(`${this.graphqlUrl} answered HTTP ${response.status} without a GraphQL response`);
    }
    return { data: body.data ?? null, errors: body.errors ?? [] };
  }

  /** Consistency proof between two tree sizes; the error message when the service refuses. */
  async consistencyProof(fromSize: number, toSize: number): Promise<{ proof: string[] } | { error: string }> {
    const { data, errors } = await this.graphql<{ consistencyProof: string[] }>(
      'query Consistency($from: Int!, $to: Int!) { consistencyProof(fromSize: $from, toSize: $to) }',
      { from: fromSize, to: toSize },
    );
    if (errors.length > 0 || !data) return { error: errors.map((error) => error.message).join('; ') || 'no answer' };
    return { proof: data.consistencyProof };
  }

  /** Entries and inclusion proofs for many positions, a few dozen per request (aliases in one query). */
  async positions(positions: readonly number[], treeSize: number): Promise<PositionAnswer[]> {
    const fields = positions
      .map(
        (position, index) =>
          `e${index}: ledgerEntryAt(position: ${position}) { position charityId sequence hash prevHash canonicalJson }\n` +
          `p${index}: inclusionProof(position: ${position}, treeSize: ${treeSize})`,
      )
      .join('\n');
    const { data, errors } = await this.graphql<Record<string, unknown>>(`query SpotCheck {\n${fields}\n}`);
    // a failed non-null field nulls the whole answer: ask one position at a time to tell which
    if (data === null && positions.length > 1) {
      const answers: PositionAnswer[] = [];
      for (const position of positions) answers.push(...(await this.positions([position], treeSize)));
      return answers;
    }
    return positions.map((position, index) => {
      const error = errors.find((item) => item.path?.[0] === `e${index}` || item.path?.[0] === `p${index}`) ?? null;
      return {
        position,
        entry: (data?.[`e${index}`] as RemoteEntry | undefined) ?? null,
        proof: (data?.[`p${index}`] as string[] | undefined) ?? null,
        error,
      };
    });
  }
}
