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
  security: [{ bearer: [] }],
  paths: {
    '/cases/{caseId}/contact-check': {
      post: {
        summary: 'May I contact this debtor now? (checked against the contact policy, recorded nowhere)',
        parameters: [{ $ref: '#/components/parameters/caseId' }],
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/ContactQuestion' } } } },
        responses: {
          '200': { description: 'allow, defer (until), block (rule, reason) or hold, with advice', content: { 'application/json': { schema: { $ref: '#/components/schemas/ContactDecision' } } } },
          '400': { $ref: '#/components/responses/Problem' },
          '401': { $ref: '#/components/responses/Problem' },
          '404': { $ref: '#/components/responses/Problem' },
        },
      },
    },
    '/cases/{caseId}/contact-attempts': {
      post: {
        summary: "Record an agent's manual contact attempt: checked and recorded atomically; dial only when mayDial is true",
        parameters: [
          { $ref: '#/components/parameters/caseId' },
          { name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string' } },
        ],
        requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/ContactAttempt' } } } },
        responses: {
          '201': { description: 'Recorded', content: { 'application/json': { schema: { $ref: '#/components/schemas/ContactDecision' } } } },
          '200': { description: 'Already recorded under this Idempotency-Key (replayed: true)' },
          '400': { $ref: '#/components/responses/Problem' },
          '404': { $ref: '#/components/responses/Problem' },
          '409': { $ref: '#/components/responses/Problem' },
        },
      },
    },
    '/cases/{caseId}/contact-attempts/{key}/outcome': {
      put: {
        summary: 'The result of a recorded manual attempt, once the call ends',
        parameters: [{ $ref: '#/components/parameters/caseId' }, { name: 'key', in: 'path', required: true, schema: { type: 'string' } }],
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['outcome'], properties: { outcome: { type: 'string' }, at: { type: 'string', format: 'date-time' } } } } } },
        responses: { '204': { description: 'Recorded' }, '404': { $ref: '#/components/responses/Problem' } },
      },
    },
    '/cases/{caseId}/contact-evidence': {
      get: {
        summary: "Every contact-policy decision about the case, newest first, with rule, reason and rule-pack version",
        parameters: [{ $ref: '#/components/parameters/caseId' }, { $ref: '#/components/parameters/limit' }, { $ref: '#/components/parameters/cursor' }],
        responses: { '200': { description: 'A page of decisions' }, '404': { $ref: '#/components/responses/Problem' } },
      },
    },
    '/compliance/contact-evidence': {
      get: {
        summary: 'Decisions by rule and period (supervisors and managers)',
        parameters: [
          { name: 'rule', in: 'query', schema: { type: 'string' } },
          { name: 'from', in: 'query', schema: { type: 'string', format: 'date-time' } },
          { name: 'to', in: 'query', schema: { type: 'string', format: 'date-time' } },
          { name: 'decision', in: 'query', schema: { type: 'string', enum: ['allowed', 'blocked', 'deferred', 'held', 'advised'] } },
          { $ref: '#/components/parameters/limit' },
          { $ref: '#/components/parameters/cursor' },
        ],
        responses: { '200': { description: 'A page of decisions' }, '403': { $ref: '#/components/responses/Problem' } },
      },
    },
    '/compliance/contact-decisions': {
      get: {
        summary: 'Blocked-attempt rate by rule for a period (default: the last 30 days)',
        parameters: [
          { name: 'from', in: 'query', schema: { type: 'string', format: 'date-time' } },
          { name: 'to', in: 'query', schema: { type: 'string', format: 'date-time' } },
        ],
        responses: { '200': { description: 'Counts per rule, decision and pack version' }, '403': { $ref: '#/components/responses/Problem' } },
      },
    },
    '/health': {
      get: {
        security: [],
        summary: 'Readiness of the API and each dependency',
        responses: {
          '200': { description: 'Every dependency answers', content: { 'application/json': { schema: { $ref: '#/components/schemas/Health' } } } },
          '503': { description: 'At least one dependency does not answer', content: { 'application/json': { schema: { $ref: '#/components/schemas/Health' } } } },
        },
      },
    },
  },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
    parameters: {
      caseId: { name: 'caseId', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } },
      limit: { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500 } },
      cursor: { name: 'cursor', in: 'query', schema: { type: 'string' } },
    },
    responses: {
      Problem: { description: 'RFC 9457 problem details', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
    },
    schemas: {
      ContactQuestion: {
        type: 'object',
        required: ['channel'],
        properties: {
          channel: { type: 'string', enum: ['call', 'sms', 'email', 'letter', 'voicemail'] },
          destinationId: { type: 'string', description: 'phone:<id>, email:<id> or address:<id>; absent: the best one for the channel' },
          purpose: { type: 'string', enum: ['collection', 'validation_notice', 'dispute_verification', 'cease_confirmation', 'legal_notice'] },
          at: { type: 'string', format: 'date-time', description: 'When the agent will dial; default now' },
        },
      },
      ContactAttempt: {
        allOf: [
          { $ref: '#/components/schemas/ContactQuestion' },
          { type: 'object', required: ['destinationId'], properties: { outcome: { type: 'string' }, taskId: { type: 'integer' } } },
        ],
      },
      ContactDecision: {
        type: 'object',
        required: ['decision'],
        properties: {
          decision: { type: 'string', enum: ['allow', 'defer', 'block', 'hold'] },
          until: { type: 'string', format: 'date-time' },
          rule: { type: 'string' },
          reason: { type: 'string' },
          mayDial: { type: 'boolean' },
          destinationId: { type: 'string' },
          rulePackVersion: { type: 'string' },
          advice: { type: 'array', items: { type: 'object' } },
        },
      },
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
