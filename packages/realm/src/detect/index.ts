export { findBindingFiles, type BindingCandidate, type BindingFile } from './bindings.js';
export { detectExportValue, type DetectedValue } from './detect-value.js';
export { DEFAULT_DETECT_TIMEOUT_MS } from './run-command.js';
export { suggestS3Export, type S3ExportSuggestion } from './suggest.js';
export { listTrackedFiles, MAX_SOURCE_BYTES, readTrackedSources, type ReadSourcesOptions } from './tracked-files.js';
