/** RFC 3986 percent-encoding, upper-case hex as the RFC recommends: `%2F`. */
export function percentEncoding(byte: number): string {
  return `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** Every UTF-8 byte of `text` percent-encoded: `é` is `%C3%A9`. */
export function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')].map(percentEncoding).join('');
}
