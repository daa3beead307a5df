// Sums the results of every test runner into one line: "tests: N passed, N failed".
import fs from 'node:fs';

const read = (f) => (fs.existsSync(f) ? JSON.parse(fs.readFileSync(f, 'utf8')) : null);
let passed = 0;
let failed = 0;
// Vitest: the main run, and one per other Node version (.tmp/vitest-node22-results.json…).
const vitestFiles = [
	'.tmp/vitest-results.json',
	...fs
		.readdirSync('.tmp')
		.filter((f) => /^vitest-node\d+-results\.json$/.test(f))
		.sort()
		.map((f) => `.tmp/${f}`)
];
for (const f of vitestFiles) {
	const vitest = read(f);
	if (vitest) {
		passed += vitest.numPassedTests;
		failed += vitest.numFailedTests;
	}
}
// Playwright: the main suite and the one behind nginx.
for (const f of ['.tmp/e2e-results.json', '.tmp/e2e-proxy-results.json']) {
	const e2e = read(f);
	if (e2e) {
		passed += e2e.stats.expected + e2e.stats.flaky;
		failed += e2e.stats.unexpected;
	}
}
// The cluster suite (tests/cluster/run.ts): one count per checked claim.
const cluster = read('.tmp/cluster-results.json');
if (cluster) {
	passed += cluster.passed;
	failed += cluster.failed;
}
console.log(`tests: ${passed} passed, ${failed} failed`);
