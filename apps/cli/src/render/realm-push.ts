import type { PublishResult } from '@blue/realm';

/** How a realm write reached its remote, after a commit's SHA: ", pushed", ", not pushed: the realm has no remote". */
export function realmPushNote(push: PublishResult | undefined): string {
  switch (push?.status) {
    case undefined:
    case 'not-attempted':
      return '';
    case 'pushed':
      return push.attempts.length > 1 ? `, pushed after ${push.attempts.length} attempts` : ', pushed';
    case 'up-to-date':
      return ', on the remote';
    case 'no-remote':
      return ', not pushed: the realm has no remote';
    case 'failed':
      return `, not pushed: ${push.error?.code ?? 'failed'} (see below)`;
  }
}
