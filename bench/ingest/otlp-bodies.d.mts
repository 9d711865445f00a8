/** Types of otlp-bodies.mjs, for the TypeScript parts of the ingest bench. */
export declare const SPANS_PER_BODY: number;

export interface BodyTemplate {
  readonly body: Buffer;
  readonly traceOffsets: readonly (readonly number[])[];
  readonly spanOffsets: readonly (readonly number[])[];
  readonly timeFields: readonly { readonly at: number; readonly value: bigint }[];
}

export declare function buildTemplates(variants?: number): { templates: BodyTemplate[]; bytesPerBody: number; buildMs: number };

export declare class BodyStamper {
  constructor(templates: readonly BodyTemplate[]);
  readonly seq: number;
  readonly stampNs: bigint;
  newBuffer(): Buffer;
  next(buffer: Buffer): { body: Buffer; seq: number; firstTraceId: string };
}
