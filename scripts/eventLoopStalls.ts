/** What the extension-host benchmarks measure: how long the calling thread's event loop stalls while work runs. */
import { monitorEventLoopDelay } from 'perf_hooks';

/** The longest event-loop stall (ms), its 99th percentile, and the thread's busy time while `work` runs. */
export async function stallsDuring(
  work: () => Promise<void>,
): Promise<{ maxMs: number; p99Ms: number; busyMs: number }> {
  const stalls = monitorEventLoopDelay({ resolution: 5 });
  const busyBefore = performance.eventLoopUtilization();
  stalls.enable();
  await work();
  stalls.disable();
  const busy = performance.eventLoopUtilization(busyBefore);
  return { maxMs: stalls.max / 1e6, p99Ms: stalls.percentile(99) / 1e6, busyMs: busy.active };
}
