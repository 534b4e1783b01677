// The Excel worker: loads the second wasm module, youjun_excel (the crate
// built with its `xlsx` feature: calamine, rust_xlsxwriter, zip), which the
// page's own module leaves out. The page starts one of these for each
// roster import and each workbook it offers (src/ui/import_worker.rs), so
// the Excel code is downloaded only when a planner first imports or exports
// a file, never before the first chart. Entry points: src/ui/excel_worker.rs.
//
// It posts { ready: true } once the module has loaded, or
// { error, loading: true } if it could not. Then one job:
// - { kind: 'roster', name, bytes, sheet? }: reads and checks a roster file
//   (CSV or XLSX; a workbook from the sheet named, if any); posts the
//   schools in chunks ({ which, chunk }), then { result };
// - { kind: 'results', scenario, roster, mc, lang }: the results workbook;
// - { kind: 'roster-xlsx', roster }: the roster as a workbook;
// - { kind: 'template' }: the roster template as a workbook;
// each workbook comes back as { bytes } (moved, not copied);
// - { kind: 'scenario-toml', text }: reads a TOML scenario file (the page's
//   module has no TOML parser), answered as { scenario } (JSON). A refusal is
// { error } with {"zh", "en"} JSON text; any other { error } means the
// module died. The page ends this worker when the job is done.
import init, { excel_parse_roster, excel_results_xlsx, excel_roster_xlsx, excel_scenario_toml, excel_template_xlsx } from './youjun_excel.js';

const ready = init().then(
  () => { self.postMessage({ ready: true }); return true; },
  (err) => { self.postMessage({ error: String(err), loading: true }); return false; },
);

self.onmessage = async (e) => {
  const job = e.data;
  if (!(await ready)) return;
  try {
    if (job.kind === 'roster') {
      const post = (which, chunk) => self.postMessage({ which, chunk });
      self.postMessage({ result: excel_parse_roster(job.name, job.bytes, job.sheet ?? undefined, post) });
      return;
    }
    if (job.kind === 'scenario-toml') {
      self.postMessage({ scenario: excel_scenario_toml(job.text) });
      return;
    }
    let bytes;
    if (job.kind === 'results') bytes = excel_results_xlsx(job.scenario, job.roster, job.mc, job.lang);
    else if (job.kind === 'roster-xlsx') bytes = excel_roster_xlsx(job.roster);
    else if (job.kind === 'template') bytes = excel_template_xlsx();
    else throw new Error(`unknown job: ${job.kind}`);
    self.postMessage({ bytes }, [bytes.buffer]);
  } catch (err) {
    // A refusal (a string), or a panic (an abort in the release build) or
    // running out of memory: this worker's module is unusable now.
    self.postMessage({ error: String(err) });
  }
};
