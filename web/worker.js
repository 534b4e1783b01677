// The Monte Carlo worker: loads the same wasm module as the page and runs
// the scenario's draws off the main thread, so the page never freezes.
import init, { worker_monte_carlo } from './youjun.js';

const ready = init();

self.onmessage = async (e) => {
  const { generation, scenario, runs } = e.data;
  try {
    await ready;
    const result = worker_monte_carlo(scenario, runs, (done, total) => self.postMessage({ generation, done, total }));
    self.postMessage({ generation, result });
  } catch (err) {
    self.postMessage({ generation, error: String(err) });
  }
};
