// The page's background worker: loads the same wasm module as the page and
// runs off the main thread, so the page never freezes and a failure here
// cannot take it down. Two jobs:
// - Monte Carlo slices ({ job, scenario?, start, end }): runs start..end of
//   the job's Monte Carlo, answered as { job, slice } with the slice's
//   Float64Array transferred, not copied (src/ui/monte_carlo.rs: the page
//   runs a pool of these workers and merges the slices). The scenario JSON
//   comes with a job's first slice only; the module keeps the job's model.
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
  const { job, scenario, start, end } = e.data;
  try {
    await ready;
    const slice = worker_monte_carlo(job, scenario, start, end);
    self.postMessage({ job, slice }, [slice.buffer]);
  } catch (err) {
    self.postMessage({ job, error: String(err) });
  }
};
