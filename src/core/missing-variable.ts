import { lookupPath, templatePaths, type TemplateScope } from './template.js';

/**
 * The first placeholder of a template that the scope does not provide (its path resolves to nothing),
 * or undefined when every one resolves. A template renders a missing variable as the empty string;
 * this is how a caller refuses such a template before anything is sent to a model.
 * @example missingVariable('Answer {{input.question}}', { input: { q: 'x' } }) // 'input.question'
 */
export function missingVariable(text: string, scope: TemplateScope): string | undefined {
  return templatePaths(text).find((path) => lookupPath(scope, path) === undefined);
}
