/**
 * A private `sshd` on a loopback port for the peer rows of the benchmarks:
 * a temporary host key, a temporary client key in its own authorized_keys,
 * ChaCha20-Poly1305 only (the cipher opendesk uses), run as a child of the
 * benchmark and stopped with it.
 *
 * @module
 */

/** A running sshd and the `ssh`/`scp` arguments that reach it. */
export interface SshdPeer {
  /** `ssh` arguments up to (not including) the remote command. */
  sshArgs: string[];
  /** `scp` options (before the source and destination). */
  scpArgs: string[];
  /** `user@127.0.0.1`. */
  login: string;
  stop(): Promise<void>;
}

const SSHD_PATHS = ["/usr/sbin/sshd", "/usr/bin/sshd"];

/** The sshd binary, or null when openssh-server is not installed. */
export function findSshd(): string | null {
  for (const path of SSHD_PATHS) {
    try {
      if (Deno.statSync(path).isFile) return path;
    } catch {
      // not here
    }
  }
  return null;
}

async function _run(cmd: string, args: string[]): Promise<void> {
  const out = await new Deno.Command(cmd, { args, stdout: "null", stderr: "piped" }).output();
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
}

function _freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** Starts sshd on 127.0.0.1 and waits until `ssh true` succeeds through it. */
export async function startSshd(sshd: string): Promise<SshdPeer> {
  const dir = await Deno.makeTempDir({ prefix: "opendesk-bench-sshd-" });
  await _run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", `${dir}/host_key`]);
  await _run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", `${dir}/client_key`]);
  await Deno.copyFile(`${dir}/client_key.pub`, `${dir}/authorized_keys`);
  const port = _freePort();
  await Deno.writeTextFile(
    `${dir}/sshd_config`,
    [
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${dir}/host_key`,
      `AuthorizedKeysFile ${dir}/authorized_keys`,
      `PidFile ${dir}/sshd.pid`,
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "PermitRootLogin prohibit-password",
      "StrictModes no",
      "UsePAM no",
      "Ciphers chacha20-poly1305@openssh.com",
      "Compression no",
      "Subsystem sftp internal-sftp",
      // bash sources ~/.bashrc for ssh commands only at shell level 1; a user's rc file (root's
      // here starts pyenv, which can wait on a stale lock for a minute) is not part of a transfer.
      "SetEnv SHLVL=1",
      "",
    ].join("\n"),
  );
  await Deno.mkdir("/run/sshd", { recursive: true }).catch(() => {});
  const child = new Deno.Command(sshd, {
    args: ["-D", "-e", "-f", `${dir}/sshd_config`],
    stdout: "null",
    stderr: "null",
  }).spawn();
  const common = [
    "-i",
    `${dir}/client_key`,
    "-o",
    "StrictHostKeyChecking=no",
    "-o",
    "UserKnownHostsFile=/dev/null",
    "-o",
    "LogLevel=ERROR",
    "-o",
    "BatchMode=yes",
    "-c",
    "chacha20-poly1305@openssh.com",
  ];
  const user = Deno.env.get("USER") ?? (Deno.uid() === 0 ? "root" : "");
  const login = `${user}@127.0.0.1`;
  const peer: SshdPeer = {
    sshArgs: [...common, "-p", String(port), login],
    scpArgs: [...common, "-P", String(port)],
    login,
    async stop(): Promise<void> {
      try {
        child.kill("SIGTERM");
      } catch {
        // already gone
      }
      await child.status;
      await Deno.remove(dir, { recursive: true });
    },
  };
  // Ready once a command runs through it (sshd needs a moment to bind).
  const deadline = Date.now() + 20_000;
  for (;;) {
    const probe = await new Deno.Command("ssh", {
      args: [...peer.sshArgs, "true"],
      stdout: "null",
      stderr: "piped",
    }).output();
    if (probe.success) return peer;
    if (Date.now() > deadline) {
      await peer.stop();
      throw new Error(`sshd did not accept a login: ${new TextDecoder().decode(probe.stderr)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
