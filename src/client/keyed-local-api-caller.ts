import type { ApiCaller } from '../api/api-caller.js';
import type { Operation, OperationCall, OperationResult } from '../api/operation.js';
import { parseOperationInput } from '../api/parse-operation-input.js';
import { authenticate } from '../auth/authenticate.js';
import { EvalOpsError } from '../core/errors.js';
import { actorOf } from '../server/actor-of.js';
import type { Store } from '../store/store.js';

/**
 * Calls operations in-process on a store as an API key would over HTTP: every call authenticates the
 * key for the operation's permission and the `{project}` it names, exactly as the server's routes do,
 * and the handler sees the key as its principal (so lookups by id are scoped to the key's project).
 * For tools that act for someone else — an agent through `evalops mcp` — on the local database.
 */
export class KeyedLocalApiCaller implements ApiCaller {
  readonly target: string;

  constructor(
    private readonly store: Store,
    private readonly apiKey: string,
  ) {
    this.target = `the local ${store.dialect} database`;
  }

  async boundProject(): Promise<string | undefined> {
    const auth = await authenticate(this.store, this.apiKey, { permission: 'runs:read' });
    return auth.ok ? auth.principal.projectName : undefined;
  }

  async call<O extends Operation>(operation: O, input: OperationCall<O>): Promise<OperationResult<O>> {
    const parsed = parseOperationInput(operation, input);
    const project = (parsed.params as Record<string, unknown>)['project'];
    const auth = await authenticate(this.store, this.apiKey, { permission: operation.permission, ...(typeof project === 'string' ? { project } : {}) });
    if (!auth.ok) throw new EvalOpsError('forbidden', auth.status === 401 ? `the key was refused (EVALOPS_API_KEY): ${auth.message}` : auth.message);
    const principal = auth.principal;
    return (await operation.handle({ store: this.store, principal, actor: () => actorOf(principal) }, parsed)) as OperationResult<O>;
  }

  async close(): Promise<void> {
    await this.store.close();
  }
}
