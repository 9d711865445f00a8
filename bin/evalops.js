#!/usr/bin/env node
// The CLI is the bundle the build writes; a clone that was not installed or built has none.
try {
  await import('../dist/bundle/main.js');
} catch (e) {
  if (e && e.code === 'ERR_MODULE_NOT_FOUND' && /Cannot find module '[^']*dist[\\/]bundle[\\/]main\.js'/.test(String(e.message))) {
    process.stderr.write('evalops: the CLI is not built (dist/bundle/main.js is missing): run npm install (or npm run build) first\n');
    process.exitCode = 2;
  } else {
    throw e;
  }
}
