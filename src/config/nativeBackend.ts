/**
 * Where @tensorflow/tfjs-node is, looked up beside the extension and in the workspace (where a user
 * can install it): the trainer loads it from there, and the editor's config check asks whether it
 * is there to tell which backend, and so which memory limit, a run of `auto` will get.
 */

/** The resolved path of @tensorflow/tfjs-node from `searchPaths`, or undefined when it is not installed. */
export function nativeBackendPath(searchPaths: readonly string[]): string | undefined {
  try {
    return require.resolve('@tensorflow/tfjs-node', { paths: [...searchPaths] });
  } catch {
    return undefined;
  }
}
