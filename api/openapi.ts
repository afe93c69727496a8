/** The API's contract. Routers add their paths here as they land; /docs renders it. */
export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Collections orchestrator API',
    version: '0.1.0',
    description:
      'Agents act on their cases, supervisors steer work, managers read timelines and KPIs, strategy designers manage strategies. Errors are RFC 9457 problem+json.',
  },
  servers: [{ url: '/' }],
  paths: {
    '/health': {
      get: {
        summary: 'Readiness of the API and each dependency',
        responses: {
          '200': { description: 'Every dependency answers', content: { 'application/json': { schema: { $ref: '#/components/schemas/Health' } } } },
          '503': { description: 'At least one dependency does not answer', content: { 'application/json': { schema: { $ref: '#/components/schemas/Health' } } } },
        },
      },
    },
  },
  components: {
    schemas: {
      Health: {
        type: 'object',
        required: ['status', 'dependencies'],
        properties: {
          status: { type: 'string', enum: ['up', 'degraded'] },
          dependencies: {
            type: 'object',
            additionalProperties: {
              type: 'object',
              required: ['status', 'ms'],
              properties: { status: { type: 'string', enum: ['up', 'down'] }, ms: { type: 'number' }, error: { type: 'string' } },
            },
          },
        },
      },
      Problem: {
        type: 'object',
        required: ['type', 'title', 'status'],
        properties: {
          type: { type: 'string', format: 'uri' },
          title: { type: 'string' },
          status: { type: 'integer' },
          detail: { type: 'string' },
          instance: { type: 'string' },
          errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } },
        },
      },
    },
  },
} as const;
