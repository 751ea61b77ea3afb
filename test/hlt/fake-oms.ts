import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for the OMS aggregation API on 127.0.0.1 (random port), responding in its
 * JSON:API shape with `filter[attr][OP]`, `page[offset]`/`page[limit]`, `links.next` and
 * `meta.totalResourceCount`. Serves `runs`, `lumisections`, `hltpathinfo` and
 * `hltpathrates` from the runs it is given; `fault` overrides the response to a request.
 */

export interface FakeRun {
  run: number;
  fill: number;
  /** Versioned path names of the run's HLT menu. */
  menu: string[];
  /** Per-lumisection pile-up, lumisection 1 first. */
  pileup: number[];
  /** Per-lumisection rates in Hz by versioned path name, lumisection 1 first. */
  rates: Record<string, number[]>;
}

export interface RecordedRequest {
  url: string;
  resource: string;
  authorization?: string;
}

/** Returns the response to send instead of the normal one, or undefined to send the normal one. */
export type Fault = (request: RecordedRequest, count: number) =>
  { status: number; body?: string; delayMs?: number } | undefined;

export interface FakeOms {
  baseUrl: string;
  requests: RecordedRequest[];
  fault?: Fault;
  /** Forgets the recorded requests and the per-URL counts. */
  reset(): void;
  close(): Promise<void>;
}

type Row = Record<string, string | number>;

export async function startFakeOms(runs: FakeRun[]): Promise<FakeOms> {
  const requests: RecordedRequest[] = [];
  const counts = new Map<string, number>();
  const fake: FakeOms = {
    baseUrl: '',
    requests,
    reset: () => {
      requests.length = 0;
      counts.clear();
      fake.fault = undefined;
    },
    close: async () => {},
  };

  const server = createServer((incoming: IncomingMessage, response: ServerResponse) => {
    const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
    const resource = url.pathname.replace(/^\/api\/v1\//, '');
    const request: RecordedRequest = { url: incoming.url ?? '', resource, authorization: incoming.headers.authorization };
    requests.push(request);
    const key = `${resource}?${[...url.searchParams].filter(([name]) => !name.startsWith('page')).join('&')}`;
    const count = (counts.get(key) ?? 0) + 1;
    counts.set(key, count);

    const fault = fake.fault?.(request, count);
    const send = (status: number, body: string) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(body);
    };
    if (fault) {
      setTimeout(() => send(fault.status, fault.body ?? ''), fault.delayMs ?? 0).unref();
      return;
    }
    const rows = rowsOf(resource, runs, url.searchParams);
    if (!rows) {
      send(404, JSON.stringify({ errors: [{ title: `no resource ${resource}` }] }));
      return;
    }
    send(200, JSON.stringify(page(rows, resource, url)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  fake.baseUrl = `http://127.0.0.1:${port}/api/v1`;
  fake.close = () => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(() => resolve());
  });
  return fake;
}

function rowsOf(resource: string, runs: FakeRun[], parameters: URLSearchParams): Row[] | undefined {
  let rows: Row[];
  switch (resource) {
    case 'runs':
      rows = runs.map((run) => ({ run_number: run.run, fill_number: run.fill }));
      break;
    case 'hltpathinfo':
      rows = runs.flatMap((run) => run.menu.map((path) => ({ run_number: run.run, path_name: path })));
      break;
    case 'lumisections':
      rows = runs.flatMap((run) => run.pileup.map((pileup, i) => ({
        run_number: run.run, fill_number: run.fill, lumisection_number: i + 1, pileup,
      })));
      break;
    case 'hltpathrates':
      rows = runs.flatMap((run) => Object.entries(run.rates).flatMap(([path, rates]) => rates.map((rate, i) => ({
        run_number: run.run, path_name: path, first_lumisection_number: i + 1, last_lumisection_number: i + 1, rate,
      }))));
      break;
    default:
      return undefined;
  }
  rows = rows.filter((row) => matchesFilters(row, parameters));
  if (resource === 'hltpathrates' && parameters.get('group[granularity]') === 'run') rows = perRun(rows);
  return rows;
}

function matchesFilters(row: Row, parameters: URLSearchParams): boolean {
  for (const [name, text] of parameters) {
    const match = /^filter\[(\w+)\]\[(\w+)\]$/.exec(name);
    if (!match) continue;
    const [, attribute, operator] = match;
    const value = row[attribute];
    const wanted = typeof value === 'number' ? Number(text) : text;
    const ok = operator === 'EQ' ? value === wanted
      : operator === 'GE' ? value >= wanted
        : operator === 'LE' ? value <= wanted
          : false;
    if (!ok) return false;
  }
  return true;
}

function perRun(rows: Row[]): Row[] {
  if (rows.length === 0) return [];
  const rate = rows.reduce((sum, row) => sum + Number(row.rate), 0) / rows.length;
  return [{ ...rows[0], first_lumisection_number: 1, last_lumisection_number: rows.length, rate }];
}

function page(rows: Row[], resource: string, url: URL): object {
  const offset = Number(url.searchParams.get('page[offset]') ?? 0);
  const limit = Number(url.searchParams.get('page[limit]') ?? 10);
  const data = rows.slice(offset, offset + limit);
  let next: string | null = null;
  if (offset + limit < rows.length) {
    const following = new URL(url);
    following.searchParams.set('page[offset]', String(offset + limit));
    next = following.pathname + following.search;
  }
  return {
    data: data.map((attributes, i) => ({ id: String(offset + i), type: resource, attributes })),
    links: { next },
    meta: { totalResourceCount: rows.length },
  };
}
