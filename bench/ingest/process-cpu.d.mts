export function processCpuMs(pid: number | string): number;
export function cpuMeter(serverPid: number, options?: { postgres?: boolean }): { stop(): Record<string, number | undefined> };
