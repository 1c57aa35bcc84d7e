// Time budgets for linear-time tests are in CPU time of this process, not wall-clock time: on a loaded machine
// (CI, parallel jest workers) the wall clock also counts other processes' turns, which made such tests flaky.
// A quadratic regression on a 1 MB input still costs seconds to minutes of CPU and fails the budget.

/** Milliseconds of CPU (user + system) that `work` took in this process. */
export function cpuMs(work: () => void): number {
  const before = process.cpuUsage()
  work()
  const used = process.cpuUsage(before)
  return (used.user + used.system) / 1000
}
