// Counts the D1 queries a local system makes, at the one place every query
// of every worker passes: Miniflare's D1 simulator (one Durable Object per
// database, all in one isolate). It attaches to that isolate over workerd's
// V8 inspector (`startSystem(..., { inspectorPort })`) and sets a breakpoint
// whose condition counts and never pauses, on the simulator's transaction
// method: one call per `prepare(...).run/all/first` or `batch([...])`, with
// its statements. Counting slows queries down, so benchmarks count in a
// phase of their own, after the timed one.

const SIMULATOR_SCRIPT = /\/workers\/d1\/database\.worker\.js$/;
const TRANSACTION_METHOD = 'async #txn(queries, format, includeCommitToken) {';

/** Attaches to the D1 simulator of a system started with `inspectorPort`; null (with a warning) if it cannot. */
export async function countD1Queries(inspectorPort) {
  const targets = await (await fetch(`http://127.0.0.1:${inspectorPort}/json`)).json();
  const target = targets.find((t) => /worker d1:db$/.test(t.title));
  if (!target) return unavailable('no D1 simulator worker among the inspector targets');
  const socket = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = reject;
  });
  const scripts = [];
  const contexts = [];
  const pending = new Map();
  let nextId = 0;
  socket.onmessage = (message) => {
    const data = JSON.parse(message.data);
    if (data.method === 'Debugger.scriptParsed') scripts.push(data.params);
    if (data.method === 'Runtime.executionContextCreated') contexts.push(data.params.context);
    if (data.id !== undefined && pending.has(data.id)) {
      pending.get(data.id)(data);
      pending.delete(data.id);
    }
  };
  const call = (method, params = {}) =>
    new Promise((resolve) => {
      const id = ++nextId;
      pending.set(id, resolve);
      socket.send(JSON.stringify({ id, method, params }));
    });
  await call('Runtime.enable');
  await call('Debugger.enable');
  const script = scripts.find((s) => SIMULATOR_SCRIPT.test(s.url));
  if (!script) return unavailable('the D1 simulator script was not found', socket);
  const { result } = await call('Debugger.getScriptSource', { scriptId: script.scriptId });
  const line = result.scriptSource.split('\n').findIndex((text) => text.includes(TRANSACTION_METHOD));
  if (line < 0) return unavailable("the D1 simulator's transaction method changed", socket);
  // Runs on every call; `false` means it never pauses.
  const condition =
    '(globalThis.__escfD1Count ??= { queries: 0, statements: 0 }, globalThis.__escfD1Count.queries++, globalThis.__escfD1Count.statements += queries.length, false)';
  const set = await call('Debugger.setBreakpoint', {
    location: { scriptId: script.scriptId, lineNumber: line + 1 },
    condition,
  });
  if (set.error) return unavailable(`breakpoint refused: ${set.error.message}`, socket);
  return {
    /** Queries (calls) and statements counted since attaching. */
    async read() {
      const reply = await call('Runtime.evaluate', {
        expression: 'JSON.stringify(globalThis.__escfD1Count ?? { queries: 0, statements: 0 })',
        ...(contexts[0] ? { contextId: contexts[0].id } : {}),
      });
      return JSON.parse(reply.result.result.value);
    },
    async detach() {
      await call('Debugger.disable');
      socket.close();
    },
  };
}

function unavailable(reason, socket) {
  console.warn(`D1 query count unavailable: ${reason}`);
  socket?.close();
  return null;
}
