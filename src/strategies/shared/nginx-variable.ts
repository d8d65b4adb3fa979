/**
 * The nginx variable of a request header: `$http_x_api_key` (nginx lowercases the name and turns
 * each `-` into `_`). The NGINX engine and NGINX Gateway Fabric's hash key both write it here.
 */
export function headerVariable(name: string): string {
  return `$http_${name.toLowerCase().replace(/-/g, '_')}`;
}
