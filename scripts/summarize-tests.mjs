// Sums the test results of every suite into the one closing line CI reads.
// Usage: node scripts/summarize-tests.mjs <failed static steps> <sum of runner exit codes> <vitest json>...
import { existsSync, readFileSync } from "node:fs";

const [failedStepsArg, rcArg, ...files] = process.argv.slice(2);
const failedSteps = Number(failedStepsArg ?? 0);
const runnersRc = Number(rcArg ?? 0);
let passed = 0;
let failed = failedSteps;
let skipped = 0;
for (const file of files) {
  if (!existsSync(file)) {
    console.log(`(no results in ${file}: counted as one failure)`);
    failed += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(file, "utf8"));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // A suite that failed to load has no tests to count: count it as a failure.
  failed += (report.testResults ?? []).filter((s) => s.status === "failed" && (s.assertionResults ?? []).every((a) => a.status !== "failed")).length;
}
if (runnersRc !== 0 && failed === 0) failed = 1;
if (failedSteps) console.log(`(${failedSteps} static check step(s) failed, counted as failures)`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
