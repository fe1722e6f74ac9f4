import { HelmSynthError } from '../errors';
import { parseRenderedDocuments, RenderedDocument } from '../helm/manifests';

const RENDERED_CHART_BRAND = Symbol.for('helm-synth.RenderedChart');

/** What `helm template` printed for a chart, parsed. */
export class RenderedChart {
  /** True for a RenderedChart of any copy of the library (a brand check, not `instanceof`). */
  public static isRenderedChart(x: unknown): x is RenderedChart {
    return typeof x === 'object' && x !== null && RENDERED_CHART_BRAND in x;
  }

  /** helm template's output, as printed. */
  public readonly text: string;
  /** Each non-empty document with the template it came from. */
  public readonly documents: readonly RenderedDocument[];
  /** Each non-empty document as plain data, in output order. */
  public readonly manifests: ReadonlyArray<Record<string, any>>;

  /**
   * @param text helm template's output
   * @param context named in errors (the chart)
   */
  constructor(
    text: string,
    private readonly context: string,
  ) {
    Object.defineProperty(this, RENDERED_CHART_BRAND, { value: true });
    this.text = text;
    this.documents = parseRenderedDocuments(text, context);
    this.manifests = this.documents.map((doc) => doc.object);
  }

  /** Every rendered object of a kind (`Deployment`), in output order. */
  public all(kind: string): Array<Record<string, any>> {
    return this.manifests.filter((m) => m.kind === kind);
  }

  /**
   * The one rendered object of a kind, or of a kind and `metadata.name`. Throws, listing what was
   * rendered, when there is none or more than one.
   */
  public find(kind: string, name?: string): Record<string, any> {
    const found = this.manifests.filter((m) => m.kind === kind && (name === undefined || m.metadata?.name === name));
    if (found.length === 1) return found[0];
    const what = `${kind}${name === undefined ? '' : ` ${name}`}`;
    const rendered = this.manifests.map((m) => `${m.kind}/${m.metadata?.name}`).join(', ') || 'nothing';
    throw new HelmSynthError(
      this.context,
      `${found.length ? `${found.length} objects` : 'no object'} ${what} rendered; rendered: ${rendered}`,
    );
  }
}
