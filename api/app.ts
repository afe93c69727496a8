import path from 'node:path';
import express, { type Express } from 'express';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Logger } from '../lib/logger';
import { type AuthSettings, authenticate } from './auth';
import { type HealthDeps, checkHealth } from './health';
import { contactsRouter } from './routes/contacts';
import { openApiDocument } from './openapi';
import { problemHandler, unknownRoute } from './problem';

export interface AppDeps extends HealthDeps {
  logger: Logger;
  db: Kysely<Database>;
  auth: AuthSettings;
}

const docsPage = `<!doctype html>
<html><head><meta charset="utf-8"><title>Collections orchestrator API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="ui"></div><script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script></body></html>`;

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '1mb' }));

  app.get('/health', async (_req, res, next) => {
    try {
      const health = await checkHealth(deps);
      res.status(health.status === 'up' ? 200 : 503).json(health);
    } catch (err) {
      next(err);
    }
  });
  app.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument);
  });
  app.use('/docs/assets', express.static(path.dirname(require.resolve('swagger-ui-dist/package.json')), { index: false }));
  app.get('/docs/init.js', (_req, res) => {
    res.type('application/javascript').send(`SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui' });`);
  });
  app.get('/docs', (_req, res) => {
    res.type('html').send(docsPage);
  });

  // Everything below needs a bearer token.
  app.use(authenticate(deps.auth));
  app.use(contactsRouter(deps.db));

  app.use(unknownRoute);
  app.use(problemHandler(deps.logger));
  return app;
}
