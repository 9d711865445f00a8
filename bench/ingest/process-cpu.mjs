/**
 * Where the CPU went during a bench phase (Linux /proc): the serve process, the PostgreSQL server's
 * processes, this process (the load generator) and the whole machine. On a machine with few CPUs the
 * three compete, so the report shows the split next to the throughput.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on every mainstream Linux). */
const TICKS_PER_SECOND = 100;

/** utime + stime of one process in ms, or 0 when it is gone. */
export function processCpuMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses: fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU ms of each thread of a process (tid → ms), from /proc/<pid>/task. */
function threadCpuMs(pid) {
  const out = new Map();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) out.set(Number(tid), processCpuMs(`${pid}/task/${tid}`));
  } catch {
    // gone
  }
  return out;
}

/** The pids of processes whose command name is `name` (e.g. `postgres`). */
function pidsNamed(name) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

function machineTicks() {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = fields[3] + fields[4];
  return { busy: fields.reduce((a, b) => a + b, 0) - idle, total: fields.reduce((a, b) => a + b, 0) };
}

/**
 * Starts measuring; `stop()` returns CPU ms used meanwhile by the server pid, by `postgres` processes
 * (one started meanwhile counts whole; one that ended meanwhile is missed), by this process, and the
 * machine's busy share (0..1 of all CPUs).
 */
export function cpuMeter(serverPid, { postgres = false } = {}) {
  const pgPids = postgres ? pidsNamed('postgres') : [];
  const before = {
    server: processCpuMs(serverPid),
    threads: threadCpuMs(serverPid),
    pg: new Map(pgPids.map((pid) => [pid, processCpuMs(pid)])),
    self: process.cpuUsage(),
    machine: machineTicks(),
    at: performance.now(),
  };
  return {
    stop() {
      const wallMs = performance.now() - before.at;
      const machine = machineTicks();
      const self = process.cpuUsage(before.self);
      let pgMs = 0;
      for (const pid of postgres ? pidsNamed('postgres') : []) pgMs += processCpuMs(pid) - (before.pg.get(pid) ?? 0);
      const threads = [...threadCpuMs(serverPid)].map(([tid, ms]) => ({ tid, ms: ms - (before.threads.get(tid) ?? 0) }));
      const mainThreadMs = threads.find((t) => t.tid === serverPid)?.ms ?? 0;
      return {
        wallMs,
        serverMs: processCpuMs(serverPid) - before.server,
        /** The serve process's main thread (event loop), and its busiest other thread (the SQLite writer when there is one). */
        serverMainThreadMs: mainThreadMs,
        serverBusiestOtherThreadMs: Math.max(0, ...threads.filter((t) => t.tid !== serverPid).map((t) => t.ms)),
        postgresMs: postgres ? pgMs : undefined,
        loadGeneratorMs: (self.user + self.system) / 1000,
        machineBusy: (machine.busy - before.machine.busy) / Math.max(1, machine.total - before.machine.total),
        cpus: availableParallelism(),
      };
    },
  };
}
