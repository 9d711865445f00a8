import type { ApiCaller } from '../api/api-caller.js';
import type { ApiContext } from '../api/api-context.js';
import type { Operation, OperationCall, OperationResult } from '../api/operation.js';
import { parseOperationInput } from '../api/parse-operation-input.js';
import type { Store } from '../store/store.js';

/**
 * Calls operations in-process on a store: the CLI's default, local mode. The person at the terminal
 * owns the database, so there is no key (`principal: null`) and the actor is who they say they are.
 * Webhooks tested from here may reach private addresses: the terminal's user can reach them anyway.
 */
export class LocalApiCaller implements ApiCaller {
  readonly target: string;

  constructor(
    private readonly store: Store,
    private readonly actor: () => string,
    private readonly project?: string,
    /** The models of the config the command was given (triage's embedding and naming models). */
    private readonly models: Pick<ApiContext, 'playground' | 'triage'> = {},
  ) {
    this.target = `the local ${store.dialect} database`;
  }

  async boundProject(): Promise<string | undefined> {
    return this.project;
  }

  async call<O extends Operation>(operation: O, input: OperationCall<O>): Promise<OperationResult<O>> {
    const parsed = parseOperationInput(operation, input);
    return (await operation.handle({ store: this.store, principal: null, actor: this.actor, webhookTargets: { allowPrivate: true }, ...this.models }, parsed)) as OperationResult<O>;
  }

  async close(): Promise<void> {
    await this.store.close();
  }
}
