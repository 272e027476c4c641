/**
 * The Node (V8) flags the service runs with. `npm start` and the Dockerfile write them out (a
 * test keeps both in step with this list); the benchmarks and the process tests start the
 * service, and the benchmarks their baselines, with them too.
 *
 * `--initial-old-space-size=128` (MB): left to itself, V8 kept the old generation's limit a few
 * MB above the ~40 MB the service holds, so uploads (large buffers, requests that live through
 * a sharp job) ran a full mark-compact about every third of a second: 78 in a one-minute upload
 * benchmark, 9 with this flag, and the service's CPU per upload fell from about 95 to 83 ms.
 */
export const SERVICE_NODE_FLAGS: readonly string[] = ['--initial-old-space-size=128'];
