/**
 * True when BLUE_LONG_TESTS=1. Long load and kill tests (a minute or more on 2 cores) run only
 * then, so the default `pnpm test` stays short: `describe.runIf(LONG_TESTS)('[long] …', …)`.
 */
export const LONG_TESTS = process.env.BLUE_LONG_TESTS === '1';
