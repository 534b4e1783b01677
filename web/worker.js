// The page's background worker: loads the same wasm module as the page and
// runs off the main thread, so the page never freezes and a failure here
// cannot take it down. One job:
// - Monte Carlo ({ generation, scenario, runs }): the scenario's draws, with
//   progress messages (src/ui/monte_carlo.rs).
// (Roster imports run in web/excel_worker.js, with the Excel module.)
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
