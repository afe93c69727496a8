// Every workflow the case worker runs; the worker's bundle starts here.
export { collectionCase } from './collection-case';
