import { lookupPath, type TemplateScope } from './template.js';

const VARIABLE = /\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g;

/**
 * The variables a template uses (`{{input.question}}` → `input.question`), in order, each once.
 * @example templateVariables('Hi {{input.name}}, {{ input.name }}!') // ['input.name']
 */
export function templateVariables(text: string): string[] {
  return [...new Set([...text.matchAll(VARIABLE)].map((m) => m[1] as string))];
}

/**
 * The first variable of a template that the scope does not provide (its path resolves to nothing),
 * or undefined when every one resolves. A template renders a missing variable as the empty string;
 * this is how a caller refuses such a template before anything is sent to a model.
 * @example missingVariable('Answer {{input.question}}', { input: { q: 'x' } }) // 'input.question'
 */
export function missingVariable(text: string, scope: TemplateScope): string | undefined {
  return templateVariables(text).find((path) => lookupPath(scope, path) === undefined);
}
