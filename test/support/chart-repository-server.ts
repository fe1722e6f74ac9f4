import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { archiveDigest, archiveFileName, buildIndex, ChartContent, indexEntry, packChart, renderIndex } from '../../src/release/internal';

/** A chart repository served over HTTP on 127.0.0.1 by a test: index.yaml and archives, started and stopped by the test. */
export class ChartRepositoryServer {
  /**
   * Serves `charts` (packed with packChart) at `http://127.0.0.1:<port>/<prefix>/`. The index lists
   * archive URLs relative to the repository unless `absoluteUrls` is given (then under that base),
   * each with its digest unless `withoutDigests`.
   */
  public static async start(
    charts: readonly ChartContent[],
    options: {
      readonly prefix?: string;
      readonly absoluteUrls?: string;
      readonly credentials?: string;
      readonly withoutDigests?: boolean;
    } = {},
  ): Promise<ChartRepositoryServer> {
    const server = new ChartRepositoryServer(
      charts,
      options.prefix ?? 'charts',
      options.absoluteUrls,
      options.credentials,
      options.withoutDigests,
    );
    await new Promise<void>((resolve) => server.server.listen(0, '127.0.0.1', resolve));
    return server;
  }

  /** Paths requested, in order. */
  public readonly requests: string[] = [];
  /** How each request for index.yaml was answered: 200, or 304 when its If-None-Match named the index's ETag. */
  public readonly indexAnswers: number[] = [];
  /** Archives by file name; a test may replace one to serve other bytes than the index's digest. */
  public readonly archives = new Map<string, Buffer>();
  private readonly index: string;
  private readonly server: Server;

  private constructor(
    charts: readonly ChartContent[],
    private readonly prefix: string,
    absoluteUrls: string | undefined,
    private readonly credentials: string | undefined,
    withoutDigests = false,
  ) {
    const entries = charts.map((chart) => {
      const archive = packChart(chart);
      this.archives.set(archiveFileName(chart), archive);
      const { digest: _digest, ...withoutDigest } = indexEntry(chart, archiveDigest(archive), '2024-01-01T00:00:00Z');
      const entry = withoutDigests ? withoutDigest : { ...withoutDigest, digest: _digest };
      return absoluteUrls ? { ...entry, urls: [`${absoluteUrls}/${archiveFileName(chart)}`] } : entry;
    });
    this.index = renderIndex(buildIndex(entries, '2024-01-01T00:00:00Z'));
    this.server = createServer((request, response) => {
      this.requests.push(request.url ?? '');
      if (this.credentials && !this.authorized(request)) {
        response.writeHead(401).end();
        return;
      }
      const path = (request.url ?? '').replace(/\?.*$/, '');
      const file = path.startsWith(`/${this.prefix}/`) ? path.slice(this.prefix.length + 2) : undefined;
      if (file === 'index.yaml') {
        const etag = `"${archiveDigest(Buffer.from(this.index))}"`;
        const status = request.headers['if-none-match'] === etag ? 304 : 200;
        this.indexAnswers.push(status);
        response.writeHead(status, { 'content-type': 'text/yaml', etag }).end(status === 200 ? this.index : undefined);
      } else if (file && this.archives.has(file))
        response.writeHead(200, { 'content-type': 'application/gzip' }).end(this.archives.get(file));
      else response.writeHead(404).end();
    });
  }

  /** The repository URL: `http://127.0.0.1:<port>/<prefix>`. */
  public get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/${this.prefix}`;
  }

  /** Stops serving; pending connections are closed. */
  public stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private authorized(request: IncomingMessage): boolean {
    return request.headers.authorization === `Basic ${Buffer.from(this.credentials!).toString('base64')}`;
  }
}
