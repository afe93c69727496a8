import { spawn } from 'node:child_process';
import { loadConfigOrExit } from '../../lib/config';
import { type ServiceReport, SERVICES, down, reset, serviceContext, status, up } from './stack';

const usage = `usage: stack <up [service...] | down | status | logs [service] [-f] [-n LINES] | reset>`;

function table(reports: ServiceReport[]): string {
  const rows = reports.map((r) => [
    r.service,
    r.state,
    r.version ?? '-',
    `127.0.0.1:${r.port}`,
    r.seconds !== undefined ? `${r.seconds.toFixed(1)}s` : '',
    r.extra ?? '',
  ]);
  const head = ['SERVICE', 'STATE', 'VERSION', 'ADDRESS', 'TIME', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  return [head, ...rows].map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  const config = loadConfigOrExit();
  const ctx = serviceContext(config, (message) => console.log(`  ... ${message}`));
  switch (command) {
    case 'up': {
      const names = rest.filter((a) => !a.startsWith('-'));
      const unknown = names.filter((n) => !SERVICES.some((s) => s.name === n));
      if (unknown.length) {
        console.error(`unknown service ${unknown.join(', ')}; services: ${SERVICES.map((s) => s.name).join(', ')}`);
        return 2;
      }
      console.log(`Starting the local stack (data in ${ctx.paths.dataDir}, downloads cached in ${ctx.paths.cacheDir})`);
      const started = Date.now();
      const { reports, errors } = await up(ctx, names, (r) =>
        console.log(`  ${r.state === 'started' ? 'started' : 'running'}  ${r.service} ${r.version ?? ''} on 127.0.0.1:${r.port} (${r.seconds?.toFixed(1)}s)`),
      );
      console.log('\n' + table(reports));
      if (errors.length) {
        console.error(`\n${errors.length} service(s) did not come up:`);
        for (const e of errors) console.error(e.describe());
        return 1;
      }
      console.log(`\nStack ready in ${((Date.now() - started) / 1000).toFixed(1)}s. Stop it with: npm run stack:down`);
      return 0;
    }
    case 'down': {
      const stopped = await down(ctx);
      console.log(stopped.length ? `Stopped: ${stopped.join(', ')}` : 'Nothing of this stack was running.');
      return 0;
    }
    case 'status': {
      console.log(table(await status(ctx)));
      console.log(`\ndata: ${ctx.paths.dataDir}\nlogs: ${ctx.paths.logDir}`);
      return 0;
    }
    case 'logs': {
      const follow = rest.includes('-f');
      const nIndex = rest.indexOf('-n');
      const lines = nIndex >= 0 ? rest[nIndex + 1] ?? '40' : '40';
      const names = rest.filter((a, i) => !a.startsWith('-') && (nIndex < 0 || i !== nIndex + 1));
      const files = SERVICES.filter((s) => !names.length || names.includes(s.name)).map((s) => s.logFile(ctx));
      const child = spawn('tail', ['-n', lines, ...(follow ? ['-F'] : []), ...files], { stdio: 'inherit' });
      return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 0)));
    }
    case 'reset': {
      const stopped = await down(ctx);
      if (stopped.length) console.log(`Stopped: ${stopped.join(', ')}`);
      reset(ctx);
      console.log(`Removed ${ctx.paths.dataDir} (downloads in ${ctx.paths.cacheDir} are kept).`);
      return 0;
    }
    default:
      console.error(usage);
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
