import { contentHash } from '../core/hash.js';
import type { Scenario } from '../core/conversation.js';
import type { ScriptedRule, ScriptedSimulatedUserConfig } from '../core/simulated-user-config.js';
import { renderTemplate } from '../core/template.js';
import type { SimulatedUser, SimulatedUserRequest, SimulatedUserReply } from './simulated-user.js';

/**
 * A deterministic simulated user with fixed branches: it opens with the scenario's `opening` (else
 * the config's `opening`, by default the goal), then answers each of the target's messages with the
 * first rule whose `when` (a case-insensitive regular expression) matches that message, or with
 * `otherwise`. Messages are templates over `{{goal}}`, `{{persona}}` and `{{facts.x}}`.
 * @example scriptedSimulatedUser({ type: 'scripted', opening: 'Hi', rules: [{ when: 'order number', say: '{{facts.order}}', done: false, goalMet: false }], otherwise: { done: true, goalMet: false } })
 */
export function scriptedSimulatedUser(config: ScriptedSimulatedUserConfig): SimulatedUser {
  const rules = config.rules.map((rule) => ({ rule, pattern: rule.when === undefined ? undefined : new RegExp(rule.when, 'i') }));
  return {
    variant: contentHash({ type: 'scripted', opening: config.opening, rules: config.rules, otherwise: config.otherwise }),
    reply(request: SimulatedUserRequest): Promise<SimulatedUserReply> {
      const { scenario, history } = request;
      const last = history.at(-1);
      if (last === undefined) return Promise.resolve({ verdict: { message: render(config.opening, scenario), done: false, goalMet: false } });
      const match = rules.find((r) => r.pattern === undefined || r.pattern.test(last.content))?.rule ?? config.otherwise;
      return Promise.resolve({ verdict: verdictOf(match, scenario) });
    },
  };
}

function verdictOf(rule: ScriptedRule, scenario: Scenario): SimulatedUserReply['verdict'] {
  return { message: rule.say === undefined ? '' : render(rule.say, scenario), done: rule.done, goalMet: rule.goalMet };
}

function render(template: string, scenario: Scenario): string {
  return renderTemplate(template, { goal: scenario.goal, persona: scenario.persona, facts: scenario.facts });
}
