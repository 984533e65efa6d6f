// A tiny step runner: prints PASS/FAIL/SKIP per step with its duration, takes a screenshot
// after each step (pass or fail), and ends with a "N passed, N failed" line.
import { screenshot } from './workbench.mjs';

export function createSteps({ page: getPage } = {}) {
  const results = [];
  let blocked = null; // once a step of a chain fails, the rest of the chain is skipped

  async function shoot(name) {
    const page = typeof getPage === 'function' ? getPage() : null;
    if (!page) return null;
    try {
      return await screenshot(page, name);
    } catch {
      return null;
    }
  }

  /**
   * Runs one step. `chain`: a failure skips the following steps of the same chain.
   * @param {string} name
   * @param {() => Promise<unknown>} fn
   */
  async function step(name, fn, { chain = null, shot = true } = {}) {
    if (chain && blocked === chain) {
      results.push({ name, status: 'SKIP' });
      console.log(`SKIP ${name} (an earlier step of "${chain}" failed)`);
      return undefined;
    }
    const started = Date.now();
    try {
      const value = await fn();
      const ms = Date.now() - started;
      const file = shot ? await shoot(name) : null;
      results.push({ name, status: 'PASS', ms });
      const detail = typeof value === 'string' && value ? ` — ${value}` : '';
      console.log(`PASS ${name} (${(ms / 1000).toFixed(1)} s)${detail}${file ? ` [${file}]` : ''}`);
      return value;
    } catch (error) {
      const ms = Date.now() - started;
      const file = await shoot(`${name}-FAILED`);
      results.push({ name, status: 'FAIL', ms, error });
      console.log(`FAIL ${name} (${(ms / 1000).toFixed(1)} s): ${error?.stack ?? error}${file ? `\n     screenshot: ${file}` : ''}`);
      if (chain) blocked = chain;
      return undefined;
    }
  }

  function summary() {
    const passed = results.filter((r) => r.status === 'PASS').length;
    const failed = results.filter((r) => r.status === 'FAIL').length;
    const skipped = results.filter((r) => r.status === 'SKIP').length;
    return { passed, failed, skipped, line: `e2e: ${passed} passed, ${failed} failed, ${skipped} skipped` };
  }

  return { step, results, summary };
}

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** Polls `fn` until it returns a truthy value; returns it, or throws with `describe()`. */
export async function waitUntil(fn, { timeout = 30_000, interval = 300, describe = () => '' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const extra = await Promise.resolve(describe(last)).catch(() => '');
      throw new Error(`timed out after ${timeout} ms${extra ? `: ${extra}` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
