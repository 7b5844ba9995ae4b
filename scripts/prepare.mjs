// `prepare`: builds dist/ only when it is stale, so `npm install && npx migrate-ui` builds once, not twice.
import { buildDist, distIsStale } from './dist.mjs';

if (distIsStale()) buildDist();
