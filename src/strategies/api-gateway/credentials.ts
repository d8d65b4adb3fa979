/**
 * Consumers and their credentials, read from Secrets at pod start. Every engine takes the same
 * Secret format, so switching engines is one prop: one data key per consumer, its value the API
 * key (Auth.apiKey) or the password (Auth.basic). An init container turns the mounted files into
 * the engine's format; the library only ever writes the Secret's name.
 */

/** Where the Secret named `secretName` is mounted in the gateway pod. */
export const secretMountPath = (root: string, secretName: string) => `${root}/${secretName}`;

/**
 * A POSIX sh loop over the consumers of a mounted Secret: runs `body` with `$consumer` (the data
 * key), `$raw` (its content) and `$value` (the content with backslashes and double quotes escaped,
 * for a double-quoted string).
 * Kubernetes projects each data key as a file; the dotted entries are its own bookkeeping.
 */
export function forEachConsumer(dir: string, body: string): string {
  return [
    `for file in ${dir}/*; do`,
    '  [ -f "$file" ] || continue',
    '  consumer=$(basename "$file")',
    '  raw=$(cat "$file")',
    // sed gets s/[\\"]/\\&/g: a backslash before every backslash and double quote.
    '  value=$(sed \'s/[\\\\"]/\\\\&/g\' "$file")',
    `  ${body}`,
    'done',
  ].join('\n');
}
