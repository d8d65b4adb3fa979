/**
 * Consumers and their credentials, read from Secrets at pod start. Every engine takes the same
 * Secret format, so switching engines is one prop: one data key per consumer, its value the API
 * key (Auth.apiKey) or the password (Auth.basic). An init container turns the mounted files into
 * the engine's format; the library only ever writes the Secret's name.
 */

/** A literal for a POSIX sh script: single-quoted, so nothing in it is expanded. */
export function shellLiteral(value: string): string {
  return `'${value.replace(/'/g, '\'\\\'\'')}'`;
}

/** The body of a double-quoted YAML (or JSON) string. */
export function yamlStringBody(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

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
    // The value as a regex that matches exactly it, for nginx's case-sensitive map entries.
    '  pattern=$(printf \'%s\' "$raw" | sed \'s/[][\\\\.*^$+?(){}|"/]/\\\\&/g\')',
    `  ${body}`,
    'done',
  ].join('\n');
}
