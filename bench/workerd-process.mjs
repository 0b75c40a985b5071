// The workerd processes a benchmark started, and the CPU they used (Linux
// /proc; empty or null elsewhere): every worker of a local system runs in
// its one workerd, so CPU per accepted command says where throughput goes on
// a CPU-bound machine.
import { readFileSync } from 'node:fs';

/** This process's workerd children. */
export function workerdChildren() {
  try {
    const children = readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, 'utf8').trim().split(/\s+/);
    return new Set(children.filter((pid) => pid && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('workerd')));
  } catch {
    return new Set();
  }
}

/** CPU seconds (user + system) one workerd has used so far, or null. */
export function workerdCpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks
  } catch {
    return null;
  }
}
