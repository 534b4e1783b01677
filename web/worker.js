// The page's background worker: loads the engine module (the page's library
// built for speed rather than size, web/build.sh) and runs off the main
// thread, so the page never freezes and a failure here cannot take it down.
// The two builds compute bit-identical numbers: only the optimiser's
// settings differ, and wasm floating point does not depend on them. Jobs:
// - Monte Carlo slices ({ job, scenario?, start, end }): runs start..end of
//   the job's Monte Carlo, answered as { job, slice } with the slice's
//   Float64Array transferred, not copied (src/ui/monte_carlo.rs: the page
//   runs a pool of these workers and merges the slices). The scenario JSON
//   comes with a job's first slice only; the module keeps the job's model.
//   A job on an imported roster names it ({ roster_hash }); the roster's
//   JSON ({ roster }, UTF-8 bytes moved to this worker) comes the first
//   time, and the module keeps it.
// - A "what it takes" question ({ ask: request JSON }): goal-seek,
//   sensitivity or attribution (with { roster } when the workspace runs on an
//   imported roster), in a worker of its own that the page ends
//   to cancel (src/ui/ask_job.rs); progress as { progress: [done, total] },
//   then { answer: JSON } or { error }.
// (Roster imports run in web/excel_worker.js, with the Excel module.)
import init, { worker_ask, worker_monte_carlo } from './youjun_engine.js';

const ready = init();

self.onmessage = async (e) => {
  if (e.data.ask !== undefined) {
    try {
      await ready;
      const answer = worker_ask(e.data.ask, e.data.roster, (done, total) => self.postMessage({ progress: [done, total] }));
      self.postMessage({ answer });
    } catch (err) {
      self.postMessage({ error: String(err) });
    }
    return;
  }
  const { job, scenario, roster_hash, roster, start, end } = e.data;
  try {
    await ready;
    const slice = worker_monte_carlo(job, scenario, roster_hash, roster, start, end);
    self.postMessage({ job, slice }, [slice.buffer]);
  } catch (err) {
    self.postMessage({ job, error: String(err) });
  }
};
