export { bindingCoverage, leafStrings } from './binding.js';
export { globMatcher } from './glob.js';
export {
  findS3Paths,
  s3PathsValue,
  S3_EXPORT_NAME,
  S3_PATHS_SCHEMA,
  type S3Access,
  type S3Finding,
  type S3PathsValue,
  type SourceFile,
} from './s3-paths.js';
export { normaliseS3Uri, type S3Location } from './s3-uri.js';
export { envVarsValue, ENV_VARS_SCHEMA, findEnvVars } from './env-vars.js';
export { isRemoteRef, openapiInvalid, OPENAPI_SCHEMA, pathItemOperations, scanOpenapi, type OpenapiScan } from './openapi.js';
export { resolvePointer } from './json-pointer.js';
