const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/)([^\s/@:]+)(?::[^\s/@]*)?@/gi;
const TOKEN_PATTERNS = [
  /\bgh[pousr]_[A-Za-z0-9]{20,}\b/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,}\b/g,
  /\b(authorization:\s*(?:token|bearer|basic)\s+)[^\s"']+/gi,
];

/**
 * Removes credentials from text that may echo a URL, a request or a subprocess's stderr:
 * `https://user:token@host` becomes `https://***@host`, GitHub tokens become `***`, and any
 * extra secrets passed in (the tokens Blue itself read) are masked wherever they appear.
 */
export function redactSecrets(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(URL_CREDENTIALS, '$1***@');
  for (const pattern of TOKEN_PATTERNS) {
    out = out.replace(pattern, (match: string, prefix?: string) =>
      typeof prefix === 'string' && match.startsWith(prefix) ? `${prefix}***` : '***',
    );
  }
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('***');
  }
  return out;
}
