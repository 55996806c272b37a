// The deployment files in deploy/: the systemd unit passes systemd's own check, and the container's
// health check, user and volume are what the README promises (Docker itself cannot run here; its smoke
// commands are in deploy/README.md).
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './support/server.ts';

const run = (file: string, args: string[], env: NodeJS.ProcessEnv = process.env) =>
  new Promise<{ code: number; output: string }>((resolve) => {
    execFile(file, args, { env }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, output: stdout + stderr }),
    );
  });

describe('deployment files', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'steward-deploy-'));
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ STEWARD_DATA_DIR: dataDir, STEWARD_DATABASE_URL: '' });
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('has a systemd unit that systemd-analyze accepts, stopping the supervisor with SIGTERM', async () => {
    const verify = await run('systemd-analyze', ['verify', 'deploy/steward.service']);
    expect(verify.output.trim()).toBe('');
    expect(verify.code).toBe(0);
    const unit = readFileSync('deploy/steward.service', 'utf8');
    expect(unit).toMatch(/^ExecStart=\/usr\/bin\/node \/opt\/steward\/bin\/steward\.js serve$/m);
    expect(unit).toMatch(/^KillMode=mixed$/m);
    expect(unit).toMatch(/^User=steward$/m);
  });

  it('has a container image that runs unprivileged with a data volume, and a health check that works', async () => {
    const dockerfile = readFileSync('deploy/Dockerfile', 'utf8');
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^VOLUME \["\/data"\]$/m);
    const check = /HEALTHCHECK[^\n]*\\\n\s*CMD (node -e "(.*)")$/m.exec(dockerfile);
    expect(check).not.toBeNull();
    const script = check![2]!.replaceAll('\\"', '"');
    const healthy = await run(process.execPath, ['-e', script], { ...process.env, STEWARD_PORT: String(server.port) });
    expect(healthy.code).toBe(0);
    await server.stop();
    const down = await run(process.execPath, ['-e', script], { ...process.env, STEWARD_PORT: String(server.port) });
    expect(down.code).toBe(1);
  });
});
