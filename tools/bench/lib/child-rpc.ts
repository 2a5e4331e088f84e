import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

interface RpcRequest {
  readonly rpc: number;
  readonly cmd: string;
  readonly args: unknown;
}

interface RpcReply {
  readonly rpc: number;
  readonly ok: boolean;
  readonly result?: unknown;
  readonly error?: string;
}

/** A forked helper process answering commands over the IPC channel. */
export interface RpcChild {
  readonly pid: number;
  readonly process: ChildProcess;
  /** Sends `cmd` and resolves with the handler's result. @throws Error with the child's message. */
  call<T>(cmd: string, args?: unknown): Promise<T>;
  /** Asks the child to exit (SIGTERM after 5 s). */
  readonly stop: () => Promise<void>;
}

/**
 * Forks `script` with the parent's node flags (`--import tsx`, the source condition) and returns an
 * RPC handle. Pass `nodeArgs` to add flags such as `--max-old-space-size`.
 */
export function forkRpc(
  script: string,
  options: { env?: NodeJS.ProcessEnv; nodeArgs?: string[] } = {},
): RpcChild {
  const child = fork(script, [], {
    execArgv: [...process.execArgv, ...(options.nodeArgs ?? [])],
    env: options.env ?? process.env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    serialization: 'advanced',
  });
  let next = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.on('message', (message: RpcReply) => {
    const waiter = pending.get(message.rpc);
    if (waiter === undefined) return;
    pending.delete(message.rpc);
    if (message.ok) waiter.resolve(message.result);
    else waiter.reject(new Error(message.error ?? 'child failed'));
  });
  child.once('exit', (code, signal) => {
    for (const waiter of pending.values()) waiter.reject(new Error(`${script} exited (${code ?? signal})`));
    pending.clear();
  });
  return {
    pid: child.pid ?? -1,
    process: child,
    call<T>(cmd: string, args?: unknown): Promise<T> {
      const rpc = next++;
      return new Promise<T>((resolve, reject) => {
        pending.set(rpc, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ rpc, cmd, args } satisfies RpcRequest);
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.disconnect();
      const timer = setTimeout(() => child.kill('SIGTERM'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Command handlers of a child: each gets the args and returns (a promise of) a structured-clonable result. */
export type RpcHandlers = Record<string, (args: never) => unknown>;

/** Child side of {@link forkRpc}: answers each command; exits when the parent disconnects. */
export function serveRpc(handlers: RpcHandlers): void {
  process.on('message', (message: RpcRequest) => {
    const handler = handlers[message.cmd] as ((args: unknown) => unknown) | undefined;
    const reply = (body: Omit<RpcReply, 'rpc'>) => process.send?.({ rpc: message.rpc, ...body });
    if (handler === undefined) {
      reply({ ok: false, error: `unknown command ${message.cmd}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(message.args))
      .then(
        (result) => reply({ ok: true, result }),
        (error: unknown) =>
          reply({ ok: false, error: error instanceof Error ? error.message : String(error) }),
      );
  });
  process.on('disconnect', () => process.exit(0));
}
