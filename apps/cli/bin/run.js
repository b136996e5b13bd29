#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
import { execute } from '@oclif/core';
import { dropStaleManifest } from '../dist/stale-manifest.js';

dropStaleManifest(fileURLToPath(new URL('..', import.meta.url)));
await execute({ dir: import.meta.url });
