// Sums the results of every test runner into one line: "tests: N passed, N failed".
import fs from 'node:fs';

const read = (f) => (fs.existsSync(f) ? JSON.parse(fs.readFileSync(f, 'utf8')) : null);
let passed = 0;
let failed = 0;
const vitest = read('.tmp/vitest-results.json');
if (vitest) {
	passed += vitest.numPassedTests;
	failed += vitest.numFailedTests;
}
const e2e = read('.tmp/e2e-results.json');
if (e2e) {
	passed += e2e.stats.expected + e2e.stats.flaky;
	failed += e2e.stats.unexpected;
}
console.log(`tests: ${passed} passed, ${failed} failed`);
