import type { AdminHandlers, AdminSessionInfo } from "../../src/remote/admin_server.ts";

export const SESSION: AdminSessionInfo = {
  id: "1a2b3c4d",
  peer_name: "laptop",
  peer_pubkey_hex: "ab".repeat(32),
  remote_addr: "127.0.0.1:40000",
  started_at: 1700000000.5,
  age_seconds: 1.25,
  mode: "serve",
};

export function handlers(log: string[]): AdminHandlers {
  return {
    list: () => [SESSION],
    kill: (id, reason) => {
      log.push(`kill ${id} ${reason}`);
      return id === SESSION.id;
    },
    killAll: (reason) => {
      log.push(`kill_all ${reason}`);
      return 1;
    },
    pair: (code) => ({ code: code ?? "123456", expiresAt: 1700000300 }),
    status: () => ({
      pid: 42,
      port: 8423,
      host: "0.0.0.0",
      sessions: 1,
      pairing: { armed: false, expires_at: null },
    }),
  };
}

export async function withHome(fn: (home: string) => Promise<void>): Promise<void> {
  const home = await Deno.makeTempDir();
  try {
    await fn(`${home}/od`);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}
