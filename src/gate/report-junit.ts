import type { GateDecisionDocument } from '../core/gate/gate-decision.js';
import { decisionErrorLines } from './report-markdown.js';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * The gate decision as JUnit XML: one test case per rule (a rule fails when any of its findings
 * acts), so CI systems show each rule as a test. Findings that could not be evaluated are skipped.
 * The built-in error-rate rule is a test case of its own; errors and imputed pairs per side, with the
 * top error messages, go to the suite's system-out.
 */
export function renderDecisionJunit(d: GateDecisionDocument): string {
  const byRule = new Map<number, GateDecisionDocument['findings']>();
  for (const f of d.findings) byRule.set(f.rule, [...(byRule.get(f.rule) ?? []), f]);
  const cases: string[] = [];
  let failures = 0;
  let skipped = 0;
  for (const [rule, findings] of [...byRule].sort(([a], [b]) => a - b)) {
    const name = esc(rule < 0 ? (findings[0]?.ruleText ?? 'built-in') : `rule ${rule + 1}: ${findings[0]?.ruleText ?? ''}`);
    const acting = findings.filter((f) => f.action !== null);
    if (acting.length) {
      failures++;
      const message = esc(`${acting[0]?.action}: ${acting.map((f) => f.message).join('; ')}`);
      const body = esc(acting.map((f) => `${f.slice ?? 'all'}: ${f.message}${f.owner ? ` (owner ${f.owner})` : ''}`).join('\n'));
      cases.push(`    <testcase classname="evalops.gate" name="${name}"><failure message="${message}" type="${acting[0]?.action}">${body}</failure></testcase>`);
    } else if (findings.every((f) => f.status === 'not_evaluated')) {
      skipped++;
      cases.push(`    <testcase classname="evalops.gate" name="${name}"><skipped message="${esc(findings.map((f) => f.message).join('; '))}"/></testcase>`);
    } else {
      cases.push(`    <testcase classname="evalops.gate" name="${name}"/>`);
    }
  }
  const errors = decisionErrorLines(d);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="evalops gate" tests="${cases.length}" failures="${failures}" skipped="${skipped}">`,
    `  <testsuite name="${esc(`${d.project} ${d.decisionId}: ${d.outcome}`)}" tests="${cases.length}" failures="${failures}" skipped="${skipped}" timestamp="${d.createdAt}">`,
    ...cases,
    ...(errors.length ? [`    <system-out>${esc(errors.join('\n'))}</system-out>`] : []),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
