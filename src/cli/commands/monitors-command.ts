import { acknowledgeAlert, deleteRollbackRule, evaluateMonitorNow, getAlert, getMonitor, listAlerts, listMonitors, listRollbackRules, pauseMonitor, resolveAlert, resumeMonitor, saveRollbackRule } from '../../api/monitor-operations.js';
import { printJson } from '../handle-errors.js';
import { parseIntFlag } from '../parse-flags.js';
import { lifecycleLines, lifecycleState } from '../render-monitor-lifecycle.js';
import { armingCell, outlookLines } from '../render-monitor-outlook.js';
import { renderTable } from '../render-table.js';
import { withApi, type OnlineFlags } from './online-command.js';

/** `evalops monitors list|show|evaluate|pause|resume`, `evalops alerts list|show|ack|resolve`, `evalops releases rollback-rule add|remove|list`. */

export async function monitorsListCommand(flags: OnlineFlags): Promise<void> {
  await withApi(flags, async (api, project) => {
    const { monitors } = await api.call(listMonitors, { params: { project } });
    if (flags.json) return printJson({ project, monitors });
    if (monitors.length === 0) return void process.stdout.write(`no monitors in project "${project}"; add them to an online file and run \`evalops online apply\`\n`);
    process.stdout.write(
      `${renderTable(
        ['monitor', 'rule / metric', 'detector', 'state', 'armed', 'false alarms / 30 d', 'time to detect', 'alert'],
        monitors.map((m) => {
          const spec = m.spec as { rule: string; metric: string; detector: { kind: string } };
          const ev = m.lastEvaluation as { firing?: boolean; warmingUp?: boolean; summary?: string } | null;
          const d = m.detectability;
          return [
            m.name,
            `${spec.rule} / ${spec.metric}`,
            spec.detector.kind,
            lifecycleState(m) ?? (ev ? (ev.firing ? 'FIRING' : ev.warmingUp ? 'warming up' : 'ok') : 'not evaluated'),
            armingCell(m.arming),
            d ? d.falseAlarmsPer30Days.toFixed(2) : '—',
            d ? `${d.expectedDetectionDays === null ? 'not within 30 days' : `${d.expectedDetectionDays.toFixed(1)} days`} (${+(d.shift * 100).toFixed(2)} pts)${d.warnings.length ? ' !' : ''}` : '—',
            m.openAlert ?? '—',
          ];
        }),
      )}\n`,
    );
  });
}

export async function monitorShowCommand(monitor: string, flags: OnlineFlags): Promise<void> {
  await withApi(flags, async (api, project) => {
    const view = await api.call(getMonitor, { params: { project, monitor } });
    if (flags.json) return printJson(view);
    const ev = view.lastEvaluation as { summary?: string } | null;
    process.stdout.write(`${view.name}: ${ev?.summary ?? 'not evaluated yet'}\n`);
    for (const line of lifecycleLines(view)) process.stdout.write(`  ${line}\n`);
    for (const line of outlookLines(view.arming, view.detectability)) process.stdout.write(`  ${line}\n`);
    for (const a of view.alerts) process.stdout.write(`  ${a.id} ${a.status} ${a.openedAt} ${a.title}\n`);
  });
}

export async function monitorEvaluateCommand(monitor: string, flags: OnlineFlags): Promise<void> {
  await withApi(flags, async (api, project) => {
    const res = await api.call(evaluateMonitorNow, { params: { project, monitor } });
    if (flags.json) return printJson(res);
    if (res.error) return void process.stdout.write(`${res.monitor}: ${res.error}\n`);
    const ev = res.evaluation as { summary?: string; firing?: boolean } | null;
    process.stdout.write(`${res.monitor}: ${ev?.firing ? 'FIRING — ' : ''}${ev?.summary ?? ''}${res.alert ? ` (alert ${res.alert.id}: ${res.alert.change})` : ''}\n`);
  });
}

export async function monitorPauseCommand(monitor: string, paused: boolean, flags: OnlineFlags & { reason?: string }): Promise<void> {
  await withApi(flags, async (api, project) => {
    const view = await api.call(paused ? pauseMonitor : resumeMonitor, { params: { project, monitor }, body: flags.reason ? { reason: flags.reason } : {} });
    if (flags.json) return printJson(view);
    process.stdout.write(view.paused ? `monitor ${view.name} paused: it neither evaluates nor alerts until \`evalops monitors resume ${view.name}\`\n` : `monitor ${view.name} resumed: it evaluates again from its next tick\n`);
  });
}

export async function alertsListCommand(flags: OnlineFlags & { status?: string; monitor?: string; limit?: string }): Promise<void> {
  await withApi(flags, async (api, project) => {
    const limit = parseIntFlag(flags.limit, '--limit', 1, 500);
    const { alerts } = await api.call(listAlerts, { params: { project }, query: { ...(flags.status ? { status: flags.status } : {}), ...(flags.monitor ? { monitor: flags.monitor } : {}), ...(limit ? { limit: String(limit) } : {}) } } as never);
    if (flags.json) return printJson({ project, alerts });
    if (alerts.length === 0) return void process.stdout.write('no alerts\n');
    process.stdout.write(`${renderTable(['alert', 'status', 'severity', 'opened', 'title'], alerts.map((a) => [a.id, a.resolvedAs ? `${a.status} (${a.resolvedAs})` : a.status, a.severity, a.openedAt, a.title]))}\n`);
  });
}

export async function alertShowCommand(alert: string, flags: OnlineFlags): Promise<void> {
  await withApi(flags, async (api, project) => {
    const view = await api.call(getAlert, { params: { project, alert } });
    if (flags.json) return printJson(view);
    process.stdout.write(`${view.title}\nstatus ${view.status}${view.resolvedAs ? ` (${view.resolvedAs})` : ''}, opened ${view.openedAt}${view.acknowledgedBy ? `, acknowledged by ${view.acknowledgedBy}` : ''}${view.resolvedBy ? `, resolved by ${view.resolvedBy}: ${view.resolution ?? ''}` : ''}\n`);
    const ev = view.evidence as { summary?: string; exampleTraceIds?: string[]; commands?: string[]; rollbackActions?: { releaseId: string; variant: string; action: string; from: string; to: string | null; skipped: string | null; auditSeq?: number }[] };
    if (ev.summary) process.stdout.write(`\n${ev.summary}\n`);
    for (const a of ev.rollbackActions ?? []) {
      process.stdout.write(a.skipped ? `${a.action} of release ${a.releaseId} (${a.variant}) skipped: ${a.skipped}\n` : `${a.action}: release ${a.releaseId} (${a.variant}) ${a.from} → ${a.to}${a.auditSeq === undefined ? '' : ` (audit #${a.auditSeq})`}\n`);
    }
    if (ev.exampleTraceIds?.length) process.stdout.write(`\nexample traces: ${ev.exampleTraceIds.join(' ')}\n`);
    if (ev.commands?.length) process.stdout.write(`\ntriage:\n${ev.commands.map((c) => `  ${c}`).join('\n')}\n`);
  });
}

export async function alertMoveCommand(alert: string, action: 'acknowledge' | 'resolve', flags: OnlineFlags & { note?: string }): Promise<void> {
  await withApi(flags, async (api, project) => {
    const op = action === 'acknowledge' ? acknowledgeAlert : resolveAlert;
    const view = await api.call(op, { params: { project, alert }, body: flags.note ? { note: flags.note } : {} });
    if (flags.json) return printJson(view);
    process.stdout.write(`alert ${view.id} ${view.status}\n`);
  });
}

export async function rollbackRuleAddCommand(release: string, flags: OnlineFlags & { monitor: string; narrow?: string }): Promise<void> {
  await withApi(flags, async (api, project) => {
    const percent = parseIntFlag(flags.narrow, '--narrow', 1, 99);
    const rule = await api.call(saveRollbackRule, { params: { project, release }, body: { monitor: flags.monitor, action: percent === undefined ? 'rollback' : 'narrow', ...(percent === undefined ? {} : { percent }) } });
    if (flags.json) return printJson(rule);
    process.stdout.write(`when monitor ${rule.monitor} fires, release ${rule.releaseName ?? rule.variant} is ${rule.action === 'rollback' ? 'rolled back' : `narrowed to ${rule.percent}%`}\n`);
  });
}

export async function rollbackRuleRemoveCommand(release: string, flags: OnlineFlags & { monitor: string }): Promise<void> {
  await withApi(flags, async (api, project) => {
    const rule = await api.call(deleteRollbackRule, { params: { project, release, monitor: flags.monitor } });
    if (flags.json) return printJson(rule);
    process.stdout.write(`monitor ${rule.monitor} no longer moves release ${rule.variant}\n`);
  });
}

export async function rollbackRulesListCommand(release: string, flags: OnlineFlags): Promise<void> {
  await withApi(flags, async (api, project) => {
    const res = await api.call(listRollbackRules, { params: { project, release }, query: {} } as never);
    if (flags.json) return printJson(res);
    if (res.rules.length === 0) return void process.stdout.write('no rollback rules\n');
    for (const r of res.rules) process.stdout.write(`${r.monitor} → ${r.action === 'rollback' ? 'roll back' : `narrow to ${r.percent}%`} (${r.createdBy}, ${r.createdAt})${r.inactive ? `\n  will not act: ${r.inactive}` : ''}\n`);
  });
}
