// The extension host's own memory, read through Node's inspector: code-server runs the host as a
// Node process (`--type=extensionHost`); SIGUSR1 opens its inspector on 127.0.0.1:9229, where the
// DevTools protocol runs a full collection and reads process.memoryUsage() inside the host.
import { execFileSync } from 'node:child_process';
import WebSocket from 'ws';

const INSPECTOR = 'http://127.0.0.1:9229';

/** heapUsed and arrayBuffers (typed arrays' memory, outside the V8 heap) of the host, in bytes. */
export interface HostMemory {
  heapUsed: number;
  arrayBuffers: number;
}

/** The newest extension host process (the one of the window the test opened last). */
function extensionHostPid(): number {
  const rows = execFileSync('ps', ['-eo', 'pid=,etimes=,args='], { encoding: 'utf8' })
    .split('\n')
    .filter((row) => row.includes('--type=extensionHost'))
    .map((row) => row.trim().split(/\s+/).map(Number))
    .sort((a, b) => a[1] - b[1]);
  if (!rows.length) throw new Error('no extension host process (--type=extensionHost) is running');
  return rows[0][0];
}

export class HostInspector {
  private next = 0;
  private readonly pending = new Map<number, (result: unknown) => void>();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { id?: number; result?: unknown; error?: { message: string } };
      const resolve = message.id === undefined ? undefined : this.pending.get(message.id);
      if (!resolve) return;
      this.pending.delete(message.id!);
      resolve(message.error ? new Error(message.error.message) : message.result);
    });
  }

  /** Opens the inspector of the newest extension host and connects to it. */
  static async attach(): Promise<HostInspector> {
    process.kill(extensionHostPid(), 'SIGUSR1');
    const until = Date.now() + 10_000;
    let url: string | undefined;
    while (!url) {
      try {
        const targets = (await (await fetch(`${INSPECTOR}/json/list`)).json()) as Array<{
          webSocketDebuggerUrl: string;
        }>;
        url = targets[0]?.webSocketDebuggerUrl;
      } catch {
        // Not listening yet.
      }
      if (!url && Date.now() > until)
        throw new Error(`the extension host's inspector did not open on ${INSPECTOR} (is the port taken?)`);
      if (!url) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const socket = new WebSocket(url);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    return new HostInspector(socket);
  }

  private send(method: string, params: object = {}): Promise<unknown> {
    const id = ++this.next;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (result) => (result instanceof Error ? reject(result) : resolve(result)));
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  /** The host's memory after a full collection (what it holds, not garbage waiting to be collected). */
  async memory(): Promise<HostMemory> {
    await this.send('HeapProfiler.collectGarbage');
    const reply = (await this.send('Runtime.evaluate', {
      expression: 'JSON.stringify(process.memoryUsage())',
      returnByValue: true,
    })) as { result: { value: string } };
    const { heapUsed, arrayBuffers } = JSON.parse(reply.result.value) as HostMemory;
    return { heapUsed, arrayBuffers };
  }

  close(): void {
    this.socket.close();
  }
}
