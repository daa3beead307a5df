// `vite build` unless the production build is already newer than the sources (npm test builds
// it beside the unit tests, so both end-to-end suites find it ready).
import { buildIfNeeded } from '../src/cli/build';

buildIfNeeded(process.cwd());
