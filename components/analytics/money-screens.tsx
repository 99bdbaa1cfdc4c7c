// The "where the money goes" screens (retries, structured output, tokenizer drift, energy), in
// one place for the share-link renderer.
export { EnergyScreen } from './energy-screen'
export { RetriesScreen } from './retries-screen'
export { StructuredOutputScreen } from './structured-output-screen'
export { TokenizerScreen } from './tokenizer-screen'
