import type { Config } from '../../lib/config';
import { type LoadOptions, type LoadResult, loadPortfolio } from './load';

export { GeneratorRefusal, type LoadOptions, type LoadResult, type Phase, writePortfolioFiles } from './load';
export { generatePortfolioRows, type GeneratorOptions, GENERATED_TABLES } from './portfolio';

/**
 * Generates a synthetic portfolio into the configured database and opens cases for its
 * delinquent loans, e.g. the demo book of `npm start`:
 * `generatePortfolio(config, { customers: 2000, loans: 4000, seed: 1, ifEmpty: true })`.
 * Deterministic for (customers, loans, seed, asOf); asOf defaults to today.
 */
export function generatePortfolio(config: Config, options: LoadOptions): Promise<LoadResult> {
  return loadPortfolio(config, options);
}
