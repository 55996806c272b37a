// The contract check: every /api/v2 answer the test suite receives is held to the OpenAPI document
// the app serves. The answer's operation is found by method and path template; its status must be one
// the operation documents, and its body must match the schema documented for that status and content
// type (JSON Schema 2020-12, as OpenAPI 3.1 speaks it, formats included). An answer of no operation
// (an unknown path under /api/v2) must still be a problem document. A mismatch names the operation,
// the status and the schema's complaint.
import Ajv2020Module from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/** CommonJS packages seen from ESM: the class or function is the module, or its `default`. */
const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;

interface MediaType {
  schema?: Record<string, unknown>;
}
interface ResponseObject {
  content?: Record<string, MediaType>;
}
interface Operation {
  operationId?: string;
  responses?: Record<string, ResponseObject>;
}
export interface OpenApiDocument {
  servers?: Array<{ url: string }>;
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
}

export interface ContractAnswer {
  method: string;
  /** The path as requested, with its query string, e.g. /api/v2/assets/7/history?limit=2. */
  url: string;
  status: number;
  contentType: string | undefined;
  body: string;
}

const COMPONENTS_ID = 'https://steward.invalid/openapi.json';
/** Under /api/v2 but no operation: the document itself and the interactive reference. */
const OUTSIDE_CONTRACT = /^\/api\/v2\/(?:openapi\.json$|docs(?:\/|$))/;

export class ContractViolation extends Error {
  override name = 'ContractViolation';
}

interface Template {
  path: string;
  pattern: RegExp;
  /** Literal segments first: /assets/transfers wins over /assets/{id}. */
  rank: number[];
}

export class Contract {
  private readonly ajv: InstanceType<typeof Ajv2020>;
  private readonly base: string;
  private readonly templates: Template[];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly document: OpenApiDocument) {
    this.ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
    addFormats(this.ajv);
    this.ajv.addSchema({ $id: COMPONENTS_ID, components: document.components ?? {} });
    this.base = (document.servers?.[0]?.url ?? '').replace(/\/$/, '');
    this.templates = Object.keys(document.paths)
      .map((path) => ({
        path,
        pattern: new RegExp(`^${path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}/]+\}/g, '[^/]+')}$`),
        rank: path.split('/').map((segment) => (segment.startsWith('{') ? 1 : 0)),
      }))
      .sort((a, b) => compareRanks(a.rank, b.rank));
  }

  /** Throws a ContractViolation when the answer is not what the document promises. */
  check(answer: ContractAnswer): void {
    const path = answer.url.split('?')[0]!;
    if (!path.startsWith(`${this.base}/`) || OUTSIDE_CONTRACT.test(path)) return;
    const method = answer.method.toLowerCase();
    if (method === 'head' || method === 'options') return;
    const relative = path.slice(this.base.length);
    const template = this.templates.find((t) => t.pattern.test(relative) && this.document.paths[t.path]?.[method]);
    const name = `${answer.method.toUpperCase()} ${path}`;
    if (!template) {
      // No operation: only a problem (404 for an unknown path or method) is an acceptable answer.
      if (answer.status < 400) throw new ContractViolation(`${name} answered ${answer.status}, but the OpenAPI document has no operation for it`);
      this.validate(`${name} (no operation) ${answer.status}`, 'components/schemas/Problem', { $ref: `${COMPONENTS_ID}#/components/schemas/Problem` }, answer);
      return;
    }
    const operation = this.document.paths[template.path]![method]!;
    const label = `${operation.operationId ?? `${answer.method.toUpperCase()} ${template.path}`} (${name})`;
    const response = operation.responses?.[String(answer.status)] ?? operation.responses?.[`${String(answer.status)[0]}XX`] ?? operation.responses?.default;
    if (!response) {
      const documented = Object.keys(operation.responses ?? {}).join(', ');
      throw new ContractViolation(`${label} answered ${answer.status}, a status the OpenAPI document does not list for it (documented: ${documented})`);
    }
    const content = response.content;
    if (!content || Object.keys(content).length === 0) {
      if (answer.body.length > 0) throw new ContractViolation(`${label} answered ${answer.status} with a body, but the document says it has none`);
      return;
    }
    const type = (answer.contentType ?? '').split(';')[0]!.trim().toLowerCase();
    const media = content[type];
    if (!media) {
      throw new ContractViolation(
        `${label} answered ${answer.status} as "${type || 'no content type'}", but the document lists ${Object.keys(content).join(', ')}`,
      );
    }
    if (!media.schema) return;
    this.validate(`${label} ${answer.status}`, `${template.path} ${method} ${answer.status} ${type}`, media.schema, answer, /[/+]json$/.test(type));
  }

  /** `json`: the body is JSON to parse; otherwise (text/csv) the schema describes the text itself. */
  private validate(label: string, key: string, schema: Record<string, unknown>, answer: ContractAnswer, json = true): void {
    const validate = this.validators.get(key) ?? this.ajv.compile(pointAtComponents(schema));
    this.validators.set(key, validate);
    let body: unknown = answer.body;
    if (json) {
      try {
        body = JSON.parse(answer.body);
      } catch {
        throw new ContractViolation(`${label}: the body is not JSON: ${answer.body.slice(0, 200)}`);
      }
    }
    if (!validate(body)) {
      const errors = (validate.errors ?? [])
        .slice(0, 5)
        .map(
          (e) =>
            `${e.instancePath || '(the body)'} ${e.message ?? 'is invalid'}${e.params && Object.keys(e.params).length ? ` ${JSON.stringify(e.params)}` : ''}`,
        )
        .join('; ');
      throw new ContractViolation(`${label} does not match the OpenAPI document: ${errors}. Body: ${answer.body.slice(0, 300)}`);
    }
  }
}

/** The schema with its references to the document's components made absolute (they live in another Ajv schema). */
function pointAtComponents(schema: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', `"${COMPONENTS_ID}#/components/`));
}

function compareRanks(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}
