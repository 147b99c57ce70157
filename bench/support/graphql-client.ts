import http from 'node:http';

export interface GraphQLError {
  message: string;
  extensions?: { code?: string; field?: string };
}

export interface GraphQLResult<Data> {
  data: Data;
  /** Wall time of the request, from send to the last byte of the answer, in ms. */
  latencyMs: number;
}

/** A request that did not come back as HTTP 200 with data and no errors. */
export class RequestFailed extends Error {
  constructor(
    readonly operation: string,
    readonly detail: string,
  ) {
    super(`${operation} failed: ${detail}`);
    this.name = 'RequestFailed';
  }
}

/**
 * A minimal GraphQL-over-HTTP client on Node's `http` with a keep-alive agent, so
 * that the load generator itself costs as little CPU as possible.
 */
export class GraphQLClient {
  private readonly url: URL;
  readonly agent: http.Agent;

  constructor(endpoint: string, maxSockets: number) {
    this.url = new URL(endpoint);
    this.agent = new http.Agent({ keepAlive: true, maxSockets });
  }

  async request<Data>(
    operation: string,
    query: string,
    variables: Record<string, unknown>,
    apiKey?: string,
  ): Promise<GraphQLResult<Data>> {
    const body = Buffer.from(JSON.stringify({ query, variables }), 'utf8');
    const headers: http.OutgoingHttpHeaders = {
      'content-type': 'application/json',
      'content-length': body.length,
      accept: 'application/json',
    };
    if (apiKey) headers.authorization = `Bearer ${apiKey}`;
    const started = process.hrtime.bigint();
    const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const request = http.request(
        {
          agent: this.agent,
          hostname: this.url.hostname,
          port: this.url.port,
          path: this.url.pathname,
          method: 'POST',
          headers,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(body);
    }).catch((error: unknown) => {
      throw new RequestFailed(operation, `no HTTP answer: ${String(error)}`);
    });
    const latencyMs = Number(process.hrtime.bigint() - started) / 1e6;

    let parsed: { data?: Data | null; errors?: GraphQLError[] };
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      throw new RequestFailed(operation, `HTTP ${status}, body is not JSON: ${text.slice(0, 500)}`);
    }
    if (status !== 200 || parsed.errors?.length || !parsed.data) {
      throw new RequestFailed(operation, `HTTP ${status}: ${JSON.stringify(parsed.errors ?? parsed).slice(0, 2_000)}`);
    }
    return { data: parsed.data, latencyMs };
  }

  close(): void {
    this.agent.destroy();
  }
}
