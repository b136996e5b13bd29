export { coverBinding, exportKind } from './binding.js';
export { parsePolicy, policyDialect, type ParsedPolicy, type PolicyFormat, type PolicyStatement } from './policy-statements.js';
export { coveredByGrants, normaliseResource, s3BindingCoverage, s3PathsOf, type BindingCoverage, type CoveredValue, type S3AccessKind, type UnusedGrant } from './s3-coverage.js';
export { wildcardContains, wildcardMatch, wildcardOverlap } from './wildcard.js';
