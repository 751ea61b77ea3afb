import type { Logger } from '../core/log.ts';

/**
 * Client of the CMS Online Monitoring System (OMS) aggregation REST API, e.g.
 * `https://cmsoms.cern.ch/agg/api/v1`. Resources (`runs`, `lumisections`, `hltpathinfo`,
 * `hltpathrates`, ...) respond in the JSON:API style: `{ data: [{ id, type, attributes }],
 * links: { next }, meta }`, filtered by `filter[<attribute>][<EQ|GE|LE|...>]=<value>` and
 * paged by `page[offset]` and `page[limit]`.
 */

export interface OmsClientOptions {
  /** API root up to the version, e.g. `https://cmsoms.cern.ch/agg/api/v1`. */
  baseUrl: string;
  /** Bearer token; sent only in the Authorization header, never logged. */
  token?: string;
  /** Source of the token (variable or file), named in the message when the API rejects it. */
  tokenSource?: string;
  /** Time limit of one request, body included, in ms. */
  timeoutMs?: number;
  /** Further attempts after a network error, a timeout or an HTTP 5xx. */
  retries?: number;
  /** Wait before the first retry in ms; it doubles with each further retry. */
  retryDelayMs?: number;
  /** Rows asked for per page. */
  pageLimit?: number;
  log?: Logger;
}

export type OmsOperator = 'EQ' | 'NEQ' | 'LT' | 'GT' | 'LE' | 'GE' | 'LIKE';

export interface OmsQuery {
  filters?: Array<[attribute: string, operator: OmsOperator, value: string | number]>;
  /** Attributes to return (`fields=`); all when absent. */
  fields?: string[];
  /** Further parameters passed as they are, e.g. `group[granularity]`. */
  extra?: Record<string, string | number>;
}

export type OmsRow = Record<string, unknown>;

/** A request that failed for good: names the URL (never the token) and the HTTP status. */
export class OmsError extends Error {
  readonly url: string;
  readonly status?: number;

  constructor(message: string, url: string, status?: number) {
    super(message);
    this.name = 'OmsError';
    this.url = url;
    this.status = status;
  }
}

/** Safety limit on pages per query, far above any run's lumisection count. */
const MAX_PAGES = 10_000;

export class OmsClient {
  readonly #options: Required<Omit<OmsClientOptions, 'token' | 'log'>> & Pick<OmsClientOptions, 'token' | 'log'>;

  constructor(options: OmsClientOptions) {
    const given = Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
    this.#options = {
      timeoutMs: 30_000,
      retries: 4,
      retryDelayMs: 1_000,
      pageLimit: 1_000,
      tokenSource: 'the token',
      ...given,
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
    };
  }

  /** Fetches every page of a query and returns the rows' `attributes`. */
  async fetchAll(resource: string, query: OmsQuery = {}): Promise<OmsRow[]> {
    const rows: OmsRow[] = [];
    const limit = this.#options.pageLimit;
    for (let page = 0; page < MAX_PAGES; page++) {
      const url = this.url(resource, query, page * limit, limit);
      const body = await this.getJson(url);
      const data = readData(body, url);
      rows.push(...data);

      // NOTE: the stop rule assumes that the API sets `links.next` to null on the last page,
      // as public OMS clients expect. A response without `links` ends at a short page.
      const next = (body as { links?: { next?: unknown } }).links?.next;
      const hasLinks = typeof (body as { links?: unknown }).links === 'object';
      if (data.length === 0 || (hasLinks ? next === null || next === undefined : data.length < limit)) {
        return rows;
      }
    }
    throw new OmsError(`more than ${MAX_PAGES} pages from ${this.url(resource, query, 0, limit)}`,
      this.url(resource, query, 0, limit));
  }

  /** Builds a query URL; brackets stay literal, values are percent-encoded. */
  url(resource: string, query: OmsQuery, offset: number, limit: number): string {
    const parameters: string[] = [];
    if (query.fields?.length) parameters.push(`fields=${query.fields.map(encodeURIComponent).join(',')}`);
    for (const [attribute, operator, value] of query.filters ?? []) {
      parameters.push(`filter[${attribute}][${operator}]=${encodeURIComponent(String(value))}`);
    }
    for (const [key, value] of Object.entries(query.extra ?? {})) {
      parameters.push(`${key}=${encodeURIComponent(String(value))}`);
    }
    parameters.push(`page[offset]=${offset}`, `page[limit]=${limit}`);
    return `${this.#options.baseUrl}/${resource}?${parameters.join('&')}`;
  }

  /** GETs a URL and parses its JSON body, retrying with exponential backoff. */
  async getJson(url: string): Promise<unknown> {
    const { retries, retryDelayMs, log } = this.#options;
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.attempt(url);
      if (outcome.ok) return outcome.body;
      if (!outcome.retry || attempt >= retries) {
        const tries = attempt > 0 ? ` after ${attempt + 1} attempts` : '';
        throw new OmsError(this.redact(`${outcome.message}${tries}`), url, outcome.status);
      }
      const delay = retryDelayMs * 2 ** attempt;
      log?.warn(this.redact(`${outcome.message}; retry ${attempt + 1} of ${retries} in ${(delay / 1000).toFixed(1)} s`));
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }

  private async attempt(url: string): Promise<
    { ok: true; body: unknown } | { ok: false; retry: boolean; message: string; status?: number }
  > {
    const { token, timeoutMs, tokenSource, log } = this.#options;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (token) headers.Authorization = `Bearer ${token}`;

    let response: Response;
    let text: string;
    try {
      log?.debug(`GET ${url}`);
      response = await fetch(url, { headers, redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
      text = await response.text();
    } catch (error) {
      return { ok: false, retry: true, message: `GET ${url} failed: ${describeNetworkError(error, timeoutMs)}` };
    }

    const status = response.status;
    if (status === 401 || status === 403) {
      return {
        ok: false, retry: false, status,
        message: `GET ${url}: HTTP ${status} ${response.statusText}: OMS rejected the request; `
          + `check ${tokenSource} (missing, mistyped or expired?)`,
      };
    }
    if (status >= 300 && status < 400) {
      // OMS redirects requests without a valid token to the CERN single sign-on page.
      return {
        ok: false, retry: false, status,
        message: `GET ${url}: HTTP ${status} redirect to ${response.headers.get('location') ?? '(no location)'}; `
          + `check ${tokenSource} and the base URL`,
      };
    }
    if (status >= 500) {
      return { ok: false, retry: true, status, message: `GET ${url}: HTTP ${status} ${response.statusText}` };
    }
    if (status !== 200) {
      return {
        ok: false, retry: false, status,
        message: `GET ${url}: HTTP ${status} ${response.statusText}: ${snippet(text)}`,
      };
    }
    try {
      return { ok: true, body: JSON.parse(text) };
    } catch (error) {
      return {
        ok: false, retry: false, status,
        message: `GET ${url}: HTTP ${status} but the body is not valid JSON `
          + `(${(error as Error).message}): ${snippet(text)}`,
      };
    }
  }

  private redact(text: string): string {
    const token = this.#options.token;
    return token ? text.split(token).join('<token>') : text;
  }
}

function readData(body: unknown, url: string): OmsRow[] {
  const data = (body as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) {
    throw new OmsError(`GET ${url}: the response has no "data" list: ${snippet(JSON.stringify(body))}`, url, 200);
  }
  return data.map((row, index) => {
    const attributes = (row as { attributes?: unknown } | null)?.attributes;
    if (typeof attributes !== 'object' || attributes === null) {
      throw new OmsError(`GET ${url}: data[${index}] has no "attributes" object`, url, 200);
    }
    return attributes as OmsRow;
  });
}

function describeNetworkError(error: unknown, timeoutMs: number): string {
  const name = (error as Error)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return `timed out after ${timeoutMs} ms`;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error)?.message ?? String(error);
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}...` : flat || '(empty body)';
}
