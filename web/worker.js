// The page's background worker: loads the same wasm module as the page and
// runs off the main thread, so the page never freezes and a failure here
// cannot take it down. Two jobs:
// - Monte Carlo ({ generation, scenario, runs }): the scenario's draws, with
//   progress messages (src/ui/monte_carlo.rs);
// - roster import ({ kind: 'roster', name, bytes }): reads and checks a
//   roster file and posts the schools in chunks, then the result, as JSON
//   (src/ui/import_worker.rs).
import init, { worker_monte_carlo, worker_parse_roster } from './youjun.js';

const ready = init();

self.onmessage = async (e) => {
  if (e.data.kind === 'roster') {
    const { name, bytes } = e.data;
    try {
      await ready;
      const post = (which, chunk) => self.postMessage({ kind: 'roster', which, chunk });
      self.postMessage({ kind: 'roster', result: worker_parse_roster(name, bytes, post) });
    } catch (err) {
      // A panic (an abort in the release build) or running out of memory:
      // this worker's module is unusable now; the page starts a new one.
      self.postMessage({ kind: 'roster', error: String(err) });
    }
    return;
  }
  const { generation, scenario, runs } = e.data;
  try {
    await ready;
    const result = worker_monte_carlo(scenario, runs, (done, total) => self.postMessage({ generation, done, total }));
    self.postMessage({ generation, result });
  } catch (err) {
    self.postMessage({ generation, error: String(err) });
  }
};
