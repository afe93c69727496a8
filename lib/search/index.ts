export * from './client';
export * from './indices';
export * from './mappings';
export * from './queries';
